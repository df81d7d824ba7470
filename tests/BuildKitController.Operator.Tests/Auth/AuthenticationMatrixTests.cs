using System.Buffers.Text;
using System.Text;
using BuildKitController.Operator.Auth;
using BuildKitController.Testing.Oidc;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>
/// Issue #4's authentication matrix: every kind of token against one authenticator that trusts the test issuer
/// (a BuildKitOIDCConfig in the controller namespace) and asks the fake API server's TokenReview for the rest.
/// Only the valid ServiceAccount token and the valid OIDC tokens pass.
/// </summary>
public sealed class AuthenticationMatrixTests
{
    private const string Admin = "system:serviceaccount:kube-system:admin";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Cases =>
    [
        "valid ServiceAccount token",
        "TokenReview says not authenticated",
        "valid OIDC token (RS256)",
        "valid OIDC token (ES256)",
        "valid OIDC token with an audience array",
        "expired OIDC token",
        "OIDC token within the clock skew after exp",
        "OIDC token not valid yet",
        "OIDC token issued in the future",
        "OIDC token without exp",
        "wrong audience",
        "wrong issuer",
        "unsigned (alg: none)",
        "HMAC algorithm (alg confusion)",
        "RS256 token relabelled PS256",
        "signed by an unknown key",
        "no kid",
        "signature bit flipped",
        "payload modified after signing",
        "hand-made JWT with a trusted iss and a garbage signature",
        "hand-made JWT with a trusted iss and no signature",
        "hand-made ServiceAccount-style JWT (upstream S1)",
        "typ is not JWT",
        "crit header",
        "not a JWT",
        "no Authorization header",
        "Basic authorization",
        "oversized token",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_valid_tokens_pass(string name)
    {
        await using var h = await AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer)]);
        var authenticator = h.CreateAuthenticator();
        var (header, expected) = Case(h, name);

        var result = await authenticator.AuthenticateAsync(header, pool: null, Ct);

        if (expected.Passes)
        {
            Assert.True(result.Succeeded, $"{name}: {result.Error}");
            Assert.Null(result.Error);
            Assert.Equal(expected.Name, result.Identity!.Name);
            Assert.Equal(expected.Method, result.Identity.Method);
        }
        else
        {
            Assert.False(result.Succeeded, name);
            Assert.False(string.IsNullOrEmpty(result.Error));
            Assert.False(result.IsTransient);
            Assert.Contains(expected.ErrorFragment!, result.Error, StringComparison.Ordinal);
            AssertNoTokenEcho(header, result.Error!);
        }

        Assert.Equal(expected.TokenReviewed ? 1 : 0, h.TokenReviews.Count);
        var scrape = h.Scrape();
        if (expected.OidcResult is { } oidcResult)
        {
            Assert.Contains($"buildkit_controller_oidc_verifications_total{{issuer=\"{h.Issuer.Issuer}\",result=\"{oidcResult}\"}} 1\n", scrape, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("buildkit_controller_oidc_verifications_total{", scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_ServiceAccount_identity_carries_its_groups_and_admin_groups_make_admins()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator(new AuthOptions { AdminUsers = ["system:serviceaccount:kube-system:*"] });
        var builder = h.AddKubernetesToken("system:serviceaccount:ci:builder");
        var admin = h.AddKubernetesToken(Admin);
        var master = h.AddKubernetesToken("alice", ["system:masters", "system:authenticated"]);

        var b = (await authenticator.AuthenticateAsync($"Bearer {builder}", null, Ct)).Identity!;
        var a = (await authenticator.AuthenticateAsync($"Bearer {admin}", null, Ct)).Identity!;
        var m = (await authenticator.AuthenticateAsync($"bearer  {master}", null, Ct)).Identity!;

        Assert.Equal(["system:serviceaccounts", "system:authenticated"], b.Groups);
        Assert.False(b.IsAdmin);
        Assert.Null(b.Issuer);
        Assert.Null(b.AllowedPools);
        Assert.True(b.IsKubernetesUser);
        Assert.True(a.IsAdmin);
        Assert.True(m.IsAdmin);
        Assert.Equal("alice", m.Name);
    }

    private static void AssertNoTokenEcho(string? header, string error)
    {
        if (header is null)
        {
            return;
        }

        foreach (var part in header.Split(' ', '.').Where(p => p.Length >= 8))
        {
            Assert.DoesNotContain(part, error, StringComparison.Ordinal);
        }
    }

    private sealed record Expectation(bool Passes, string? Name = null, string? Method = null, string? ErrorFragment = null, bool TokenReviewed = false, string? OidcResult = null);

    private static Expectation Oidc(string result, string fragment) => new(false, ErrorFragment: fragment, OidcResult: result);

    private static Expectation Rejected => new(false, ErrorFragment: "the bearer token was not accepted", TokenReviewed: true);

    private static (string? Header, Expectation Expected) Case(AuthHarness h, string name)
    {
        var issuer = h.Issuer;
        var now = h.Time.GetUtcNow();
        string Bearer(TestTokenOptions options) => "Bearer " + issuer.CreateToken(options);
        return name switch
        {
            "valid ServiceAccount token" => ("Bearer " + h.AddKubernetesToken("system:serviceaccount:ci:builder"),
                new Expectation(true, "system:serviceaccount:ci:builder", CallerMethods.ServiceAccount, TokenReviewed: true)),
            "TokenReview says not authenticated" => (Bearer(new TestTokenOptions { Issuer = AuthHarness.KubernetesIssuer, Subject = "system:serviceaccount:ci:builder", Audiences = [AuthHarness.KubernetesIssuer] }),
                Rejected),
            "valid OIDC token (RS256)" => (Bearer(new TestTokenOptions()), new Expectation(true, "test-subject", CallerMethods.Oidc, OidcResult: "success")),
            "valid OIDC token (ES256)" => (Bearer(new TestTokenOptions { Algorithm = "ES256" }), new Expectation(true, "test-subject", CallerMethods.Oidc, OidcResult: "success")),
            "valid OIDC token with an audience array" => (Bearer(new TestTokenOptions { Audiences = ["other", AuthHarness.Audience] }),
                new Expectation(true, "test-subject", CallerMethods.Oidc, OidcResult: "success")),
            "expired OIDC token" => (Bearer(new TestTokenOptions { IssuedAt = now.AddMinutes(-10), ExpiresAt = now.AddSeconds(-61) }), Oidc("expired", "expired")),
            "OIDC token within the clock skew after exp" => (Bearer(new TestTokenOptions { IssuedAt = now.AddMinutes(-10), ExpiresAt = now.AddSeconds(-59) }),
                new Expectation(true, "test-subject", CallerMethods.Oidc, OidcResult: "success")),
            "OIDC token not valid yet" => (Bearer(new TestTokenOptions { NotBefore = now.AddSeconds(61) }), Oidc("not_yet_valid", "not valid yet")),
            "OIDC token issued in the future" => (Bearer(new TestTokenOptions { IssuedAt = now.AddMinutes(5), OmitNotBefore = true }), Oidc("not_yet_valid", "not valid yet")),
            "OIDC token without exp" => (Bearer(new TestTokenOptions { OmitExpiry = true }), Oidc("invalid_claims", "no valid exp")),
            "wrong audience" => (Bearer(new TestTokenOptions { Audience = "someone-else" }), Oidc("invalid_audience", "audience")),
            "wrong issuer" => (Bearer(new TestTokenOptions { Issuer = "https://evil.example.com" }), Rejected),
            "unsigned (alg: none)" => (Bearer(new TestTokenOptions { Algorithm = "none" }), Oidc("unsupported_algorithm", "algorithm")),
            "HMAC algorithm (alg confusion)" => (Bearer(new TestTokenOptions { Algorithm = "HS256", Key = issuer.GetCurrentKey("RS256") }), Oidc("unsupported_algorithm", "algorithm")),
            "RS256 token relabelled PS256" => (Bearer(new TestTokenOptions { Algorithm = "PS256", Key = issuer.GetCurrentKey("RS256") }), Oidc("invalid_signature", "signature")),
            "signed by an unknown key" => (Bearer(new TestTokenOptions { Key = TestSigningKey.Create("RS256") }), Oidc("unknown_key", "key")),
            "no kid" => (Bearer(new TestTokenOptions { KeyId = "" }), Oidc("unknown_key", "key")),
            "signature bit flipped" => (Bearer(new TestTokenOptions { Tampering = TestTokenTampering.FlipSignatureBit }), Oidc("invalid_signature", "signature")),
            "payload modified after signing" => (Bearer(new TestTokenOptions { Tampering = TestTokenTampering.ModifyPayload }), Oidc("invalid_signature", "signature")),
            "hand-made JWT with a trusted iss and a garbage signature" => ("Bearer " + HandMade(
                $$"""{"alg":"RS256","typ":"JWT","kid":"{{issuer.GetCurrentKey("RS256").KeyId}}"}""",
                $$"""{"iss":"{{issuer.Issuer}}","sub":"admin","aud":"buildkit","exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}}}""",
                Base64Url.EncodeToString(new byte[256])), Oidc("invalid_signature", "signature")),
            "hand-made JWT with a trusted iss and no signature" => ("Bearer " + HandMade(
                $$"""{"alg":"RS256","kid":"{{issuer.GetCurrentKey("RS256").KeyId}}"}""",
                $$"""{"iss":"{{issuer.Issuer}}","sub":"admin","aud":"buildkit","exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}}}""",
                ""), Oidc("invalid_signature", "signature")),
            "hand-made ServiceAccount-style JWT (upstream S1)" => ("Bearer " + HandMade(
                """{"alg":"RS256","typ":"JWT"}""",
                $$"""{"iss":"kubernetes/serviceaccount","sub":"{{Admin}}","kubernetes.io/serviceaccount/namespace":"kube-system","kubernetes.io/serviceaccount/service-account.name":"admin"}""",
                "eA"), Rejected),
            "typ is not JWT" => (Bearer(new TestTokenOptions { Type = "JWE" }), Oidc("invalid_type", "typ")),
            "crit header" => ("Bearer " + Resign(issuer, $$"""{"alg":"RS256","kid":"{{issuer.GetCurrentKey("RS256").KeyId}}","crit":["exp"]}""",
                $$"""{"iss":"{{issuer.Issuer}}","sub":"x","aud":"buildkit","exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}}}"""), Oidc("malformed", "well-formed")),
            "not a JWT" => ("Bearer opaque-token-0123456789", Rejected),
            "no Authorization header" => (null, new Expectation(false, ErrorFragment: "missing bearer token")),
            "Basic authorization" => ("Basic dXNlcjpwYXNzd29yZA==", new Expectation(false, ErrorFragment: "unsupported authorization scheme")),
            "oversized token" => ("Bearer " + new string('a', 16 * 1024 + 1), new Expectation(false, ErrorFragment: "longer than 16384 bytes")),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };
    }

    private static string HandMade(string header, string payload, string signature) =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{signature}";

    /// <summary>A token with a chosen header, correctly signed with the issuer's current RS256 key.</summary>
    private static string Resign(TestOidcIssuer issuer, string header, string payload)
    {
        var input = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}";
        return $"{input}.{Base64Url.EncodeToString(issuer.GetCurrentKey("RS256").Sign(Encoding.ASCII.GetBytes(input)))}";
    }
}
