using System.Buffers.Text;
using System.Text.Json;
using BuildKitController.Operator.Oidc;
using BuildKitController.Testing.Oidc;

namespace BuildKitController.Operator.Tests.Oidc;

public sealed class SigningKeyFilterTests
{
    private static JsonWebKey Jwk(string algorithm)
    {
        using var key = TestSigningKey.Create(algorithm);
        return JsonSerializer.Deserialize(key.ToPublicJwkJson(), OidcJsonContext.Default.JsonWebKey)!;
    }

    private static string? Problem(JsonWebKey key) => SigningKeyFilter.IsUsable(key, out var problem) ? null : problem;

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    public void Published_rsa_and_p256_p384_keys_are_usable(string algorithm)
    {
        Assert.Null(Problem(Jwk(algorithm)));
        Assert.Null(Problem(Jwk(algorithm) with { Use = null, Algorithm = null, KeyOperations = ["verify"] }));
    }

    [Fact]
    public void Keys_for_encryption_or_without_verify_are_not_signing_keys()
    {
        Assert.Equal("use is \"enc\", not sig", Problem(Jwk("RS256") with { Use = "enc" }));
        Assert.Equal("key_ops does not allow verify", Problem(Jwk("ES256") with { KeyOperations = ["encrypt"] }));
    }

    [Fact]
    public void Unsupported_key_types_and_curves_are_refused()
    {
        Assert.Equal("unsupported kty \"oct\"", Problem(new JsonWebKey { KeyType = "oct" }));
        Assert.Equal("kty is missing", Problem(new JsonWebKey()));
        Assert.Equal("unsupported curve \"P-521\"", Problem(Jwk("ES512")));
    }

    [Fact]
    public void Algorithm_must_fit_the_key()
    {
        Assert.Equal("alg \"ES256\" does not fit an RSA key", Problem(Jwk("RS256") with { Algorithm = "ES256" }));
        Assert.Equal("alg \"ES384\" does not fit curve P-256", Problem(Jwk("ES256") with { Algorithm = "ES384" }));
        Assert.Equal("alg \"HS256\" does not fit an RSA key", Problem(Jwk("RS256") with { Algorithm = "HS256" }));
    }

    [Fact]
    public void Short_or_malformed_key_material_is_refused()
    {
        var rsa = Jwk("RS256");
        var shortModulus = Base64Url.EncodeToString(Base64Url.DecodeFromChars(rsa.Modulus).AsSpan(0, 128));
        Assert.Equal("RSA modulus of about 1024 bits is shorter than 2048", Problem(rsa with { Modulus = shortModulus }));
        Assert.Equal("n or e is missing or not base64url", Problem(rsa with { Exponent = null }));
        Assert.Equal("n or e is missing or not base64url", Problem(rsa with { Modulus = "***" }));

        var ec = Jwk("ES256");
        Assert.Equal("x or y is missing or not 32 bytes", Problem(ec with { X = ec.X![..20] }));
        var notOnCurve = Base64Url.EncodeToString(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray());
        Assert.Equal("x and y are not a point on P-256", Problem(ec with { Y = notOnCurve }));
    }

    [Fact]
    public void Usable_keeps_only_the_signing_keys_of_a_set()
    {
        var set = new JsonWebKeySet { Keys = [Jwk("RS256") with { Use = "enc" }, Jwk("ES256"), new JsonWebKey { KeyType = "oct" }] };

        var usable = SigningKeyFilter.Usable(set);

        Assert.Equal("ES256", Assert.Single(usable).Algorithm);
        Assert.Empty(SigningKeyFilter.Usable(new JsonWebKeySet()));
    }
}
