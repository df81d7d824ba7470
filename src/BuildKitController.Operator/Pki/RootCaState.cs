using BuildKitController.Core.Pki;

namespace BuildKitController.Operator.Pki;

/// <summary>The root CA as the controller found it: usable, or broken with a reason (never replaced silently).</summary>
internal sealed record RootCaState(CertificateAuthority? Authority, string? Problem)
{
    public static RootCaState Usable(CertificateAuthority authority) => new(authority, null);

    public static RootCaState Broken(string problem) => new(null, problem);
}
