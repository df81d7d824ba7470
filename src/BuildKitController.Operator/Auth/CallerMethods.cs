namespace BuildKitController.Operator.Auth;

/// <summary>Values of <see cref="CallerIdentity.Method"/>.</summary>
internal static class CallerMethods
{
    /// <summary>A bearer token the Kubernetes API server authenticated (TokenReview): ServiceAccounts, and any other user it knows.</summary>
    public const string ServiceAccount = "serviceaccount";

    /// <summary>An OIDC ID token verified against a trusted issuer.</summary>
    public const string Oidc = "oidc";

    /// <summary>Dev mode: authentication is off.</summary>
    public const string Dev = "dev";
}
