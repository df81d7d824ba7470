using BuildKitController.Operator.Oidc;
using BuildKitController.Testing.Oidc;

namespace BuildKitController.Operator.Tests.Oidc;

public sealed class OidcIssuerProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OidcIssuerProbe Probe(HttpClient http, TimeSpan? timeout = null, long maxBytes = 1024 * 1024) =>
        new(new OidcDocumentFetcher(http, timeout ?? TimeSpan.FromSeconds(10), maxBytes));

    [Fact]
    public async Task A_healthy_issuer_is_verified_with_its_documents_and_usable_keys()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);

        Assert.True(result.Ready);
        Assert.Equal(issuer.JwksUrl, result.Discovery!.JwksUri);
        Assert.Equal(["RS256", "ES256"], result.Discovery.IdTokenSigningAlgValuesSupported!);
        Assert.Equal(issuer.PublishedKeys.Select(k => k.KeyId), result.SigningKeys!.Select(k => k.KeyId));
    }

    [Fact]
    public async Task An_issuer_below_a_path_is_found_and_a_trailing_slash_in_the_config_is_a_mismatch()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(new TestOidcIssuerOptions { PathPrefix = "/tenant" }, Ct);
        using var http = issuer.CreateHttpClient();

        Assert.True((await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Ready);
        var slash = await Probe(http).ProbeAsync(issuer.Issuer + "/", Ct);

        Assert.Equal(OidcConfigReasons.IssuerMismatch, slash.Reason);
        Assert.Equal(2, issuer.RequestCount("/tenant/.well-known/openid-configuration"));
    }

    [Theory]
    [InlineData(TestOidcFault.InvalidJson, "is not a valid document")]
    [InlineData(TestOidcFault.Oversized, "is larger than 1048576 bytes")]
    [InlineData(TestOidcFault.NotFound, "HTTP 404 from")]
    [InlineData(TestOidcFault.Abort, "cannot reach")]
    public async Task Discovery_faults_become_discovery_failed_messages(TestOidcFault fault, string expected)
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.DiscoveryFault = fault;

        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);

        Assert.Equal(OidcConfigReasons.DiscoveryFailed, result.Reason);
        Assert.StartsWith("discovery failed: ", result.Message, StringComparison.Ordinal);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestOidcFault.InvalidJson, "is not a valid document")]
    [InlineData(TestOidcFault.Oversized, "is larger than 1048576 bytes")]
    public async Task Jwks_faults_become_jwks_failed_messages(TestOidcFault fault, string expected)
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.JwksFault = fault;

        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);

        Assert.Equal(OidcConfigReasons.JwksFailed, result.Reason);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_issuer_fails_after_the_request_deadline()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.DiscoveryFault = TestOidcFault.Hang;

        var result = await Probe(http, timeout: TimeSpan.FromMilliseconds(200)).ProbeAsync(issuer.Issuer, Ct);

        Assert.Equal($"discovery failed: no response from {issuer.DiscoveryUrl} within 0.2s", result.Message);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_a_tls_failure()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = new HttpClient();

        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);

        Assert.Equal(OidcConfigReasons.DiscoveryFailed, result.Reason);
        Assert.Contains("TLS handshake failed", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_shaped_json_is_refused_without_throwing()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        issuer.DiscoveryResponseOverride = """{"issuer": 42}""";
        Assert.Equal(OidcConfigReasons.DiscoveryFailed, (await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Reason);
        issuer.DiscoveryResponseOverride = "null";
        Assert.Contains("is JSON null", (await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Message, StringComparison.Ordinal);
        issuer.DiscoveryResponseOverride = $$"""{"issuer": "{{issuer.Issuer}}"}""";
        Assert.Equal("discovery failed: the discovery document has no jwks_uri", (await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Message);
        issuer.DiscoveryResponseOverride = null;
        issuer.JwksResponseOverride = """{"keys": [null, 1]}""";
        Assert.Equal(OidcConfigReasons.JwksFailed, (await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Reason);
        issuer.JwksResponseOverride = """{"keys": [null, {"kty": "oct", "kid": "hmac"}]}""";
        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);
        Assert.Equal(OidcConfigReasons.NoSigningKeys, result.Reason);
        Assert.EndsWith("(no kid): unusable; hmac: unsupported kty \"oct\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_issuer_may_not_serve_its_keys_over_http()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.JwksUriOverride = "http://127.0.0.1:1/keys";

        var result = await Probe(http).ProbeAsync(issuer.Issuer, Ct);

        Assert.Equal("discovery failed: jwks_uri http://127.0.0.1:1/keys must use https (http only for a loopback http issuer)", result.Message);
    }

    [Fact]
    public async Task A_loopback_http_issuer_may_serve_its_keys_over_loopback_http()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(new TestOidcIssuerOptions { UseHttps = false }, Ct);
        using var http = new HttpClient();

        Assert.True((await Probe(http).ProbeAsync(issuer.Issuer, Ct)).Ready);
    }

    [Theory]
    [InlineData("https://issuer.example", "https://keys.example/jwks", null)]
    [InlineData("https://issuer.example", "http://keys.example/jwks", "must use https")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/jwks", null)]
    [InlineData("http://localhost:8080", "http://keys.example/jwks", "must use https")]
    [InlineData("https://issuer.example", "keys/jwks", "is not an absolute URL")]
    [InlineData("https://issuer.example", "/jwks", "must use https")]
    [InlineData("https://issuer.example", "ftp://keys.example/jwks", "must use https")]
    [InlineData("https://issuer.example", "https://user:pw@keys.example/jwks", "without user info")]
    [InlineData("https://issuer.example", "", "has no jwks_uri")]
    public void Jwks_uri_policy(string issuer, string jwksUri, string? problem)
    {
        var found = OidcIssuerProbe.JwksUriProblem(new Uri(issuer), jwksUri, out var url);

        if (problem is null)
        {
            Assert.Null(found);
            Assert.Equal(jwksUri, url!.OriginalString);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
            Assert.Null(url);
        }
    }
}
