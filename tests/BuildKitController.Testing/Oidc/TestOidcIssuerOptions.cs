namespace BuildKitController.Testing.Oidc;

/// <summary>How a <see cref="TestOidcIssuer"/> is set up.</summary>
public sealed record TestOidcIssuerOptions
{
    /// <summary>Serve HTTPS with a certificate from a throwaway CA (default); false serves plain http on 127.0.0.1.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>A path the issuer lives under (<c>/tenant-a</c> gives <c>https://127.0.0.1:port/tenant-a</c>); empty for none.</summary>
    public string PathPrefix { get; init; } = "";

    /// <summary>One signing key is created and published for each algorithm; the first is the default for tokens.</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = ["RS256", "ES256"];

    /// <summary>The clock for <c>iat</c>/<c>nbf</c>/<c>exp</c> when a token does not bring its own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Lifetime of minted tokens when <see cref="TestTokenOptions.ExpiresAt"/> is not given.</summary>
    public TimeSpan DefaultTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
