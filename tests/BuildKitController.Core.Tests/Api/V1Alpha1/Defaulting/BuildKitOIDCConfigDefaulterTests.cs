using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Defaulting;

public sealed class BuildKitOIDCConfigDefaulterTests
{
    [Fact]
    public void Enabled_user_claim_and_secret_key_are_defaulted()
    {
        var spec = new BuildKitOIDCConfigSpec { Issuer = "https://i", Audience = "a", ClientSecretRef = new SecretReference { Name = "s" } };

        var defaulted = BuildKitOIDCConfigDefaulter.Apply(spec);

        Assert.True(defaulted.Enabled);
        Assert.Equal("sub", defaulted.ClaimsMapping!.User);
        Assert.Equal("client-secret", defaulted.ClientSecretRef!.Key);
        Assert.Null(spec.ClaimsMapping);
        Assert.Null(spec.Enabled);
    }

    [Fact]
    public void Explicit_values_are_kept()
    {
        var spec = new BuildKitOIDCConfigSpec { Enabled = false, ClaimsMapping = new ClaimsMapping { User = "actor", Pools = "pools" }, ClientSecretRef = new SecretReference { Name = "s", Key = "k" } };

        var defaulted = BuildKitOIDCConfigDefaulter.Apply(spec);

        Assert.False(defaulted.Enabled);
        Assert.Equal(("actor", "pools"), (defaulted.ClaimsMapping!.User, defaulted.ClaimsMapping.Pools));
        Assert.Equal("k", defaulted.ClientSecretRef!.Key);
    }
}
