using System.Text.Json;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Api.V1Alpha1.Defaulting;

/// <summary>Fills the defaults of an OIDC config: <c>enabled</c> true, <c>claimsMapping.user</c> <c>sub</c>,
/// <c>clientSecretRef.key</c> <c>client-secret</c>. Pure: returns a defaulted deep copy.</summary>
public static class BuildKitOIDCConfigDefaulter
{
    public const string ClientSecretKey = "client-secret";

    public static BuildKitOIDCConfigSpec Apply(BuildKitOIDCConfigSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var typeInfo = CoreJsonContext.Default.BuildKitOIDCConfigSpec;
        var copy = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(spec, typeInfo), typeInfo)!;
        copy.Enabled ??= true;
        var claims = copy.ClaimsMapping ??= new ClaimsMapping();
        if (string.IsNullOrEmpty(claims.User))
        {
            claims.User = PoolDefaults.OidcUserClaim;
        }

        if (copy.ClientSecretRef is { } secretRef && string.IsNullOrEmpty(secretRef.Key))
        {
            secretRef.Key = ClientSecretKey;
        }

        return copy;
    }
}
