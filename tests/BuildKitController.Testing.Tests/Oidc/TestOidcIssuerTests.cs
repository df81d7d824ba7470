using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Testing.Oidc;
using BuildKitController.Testing.Time;

namespace BuildKitController.Testing.Tests.Oidc;

public sealed class TestOidcIssuerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    private static (JsonElement Header, JsonElement Payload, byte[] SignedData, byte[] Signature) Decode(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone(),
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone(),
            Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"),
            Base64Url.DecodeFromChars(parts[2]));
    }

    /// <summary>Verifies a token against a JWKS document the way a relying party would, from n/e or crv/x/y only.</summary>
    private static bool VerifyWithJwks(string token, JsonElement jwks)
    {
        var (header, _, data, signature) = Decode(token);
        var alg = header.GetProperty("alg").GetString();
        if (!header.TryGetProperty("kid", out var kid))
        {
            return false;
        }

        var jwk = jwks.GetProperty("keys").EnumerateArray().FirstOrDefault(k => k.GetProperty("kid").GetString() == kid.GetString());
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        switch (jwk.GetProperty("kty").GetString())
        {
            case "RSA" when alg == "RS256":
                using (var rsa = RSA.Create(new RSAParameters
                {
                    Modulus = Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()),
                    Exponent = Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()),
                }))
                {
                    return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case "EC" when alg == "ES256":
                Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
                using (var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint
                    {
                        X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()),
                        Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()),
                    },
                }))
                {
                    return signature.Length == 64 && ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }

            default:
                return false;
        }
    }

    [Fact]
    public async Task Discovery_names_the_issuer_its_jwks_and_the_published_algorithms()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        var discovery = await GetJsonAsync(http, issuer.DiscoveryUrl);

        Assert.StartsWith("https://127.0.0.1:", issuer.Issuer, StringComparison.Ordinal);
        Assert.False(issuer.Issuer.EndsWith('/'));
        Assert.Equal(issuer.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(issuer.JwksUrl, discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(["RS256", "ES256"], discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("id_token", discovery.GetProperty("response_types_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Jwks_publishes_an_rsa_and_a_p256_key_with_public_parameters_only()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        var keys = (await GetJsonAsync(http, issuer.JwksUrl)).GetProperty("keys").EnumerateArray().ToList();

        Assert.Equal(2, keys.Count);
        var rsa = Assert.Single(keys, k => k.GetProperty("kty").GetString() == "RSA");
        Assert.Equal("RS256", rsa.GetProperty("alg").GetString());
        Assert.Equal("sig", rsa.GetProperty("use").GetString());
        Assert.Equal(issuer.GetCurrentKey("RS256").KeyId, rsa.GetProperty("kid").GetString());
        Assert.Equal(256, Base64Url.DecodeFromChars(rsa.GetProperty("n").GetString()).Length);
        Assert.Equal("AQAB", rsa.GetProperty("e").GetString());
        Assert.False(rsa.TryGetProperty("d", out _));
        var ec = Assert.Single(keys, k => k.GetProperty("kty").GetString() == "EC");
        Assert.Equal("ES256", ec.GetProperty("alg").GetString());
        Assert.Equal("P-256", ec.GetProperty("crv").GetString());
        Assert.Equal(32, Base64Url.DecodeFromChars(ec.GetProperty("x").GetString()).Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(ec.GetProperty("y").GetString()).Length);
        Assert.False(ec.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task Rs256_token_carries_the_default_claims_and_verifies_with_the_published_key()
    {
        var time = new ManualTimeProvider();
        await using var issuer = await TestOidcIssuer.StartAsync(new TestOidcIssuerOptions { TimeProvider = time }, Ct);
        using var http = issuer.CreateHttpClient();
        var jwks = await GetJsonAsync(http, issuer.JwksUrl);

        var token = issuer.CreateToken();

        var (header, payload, _, signature) = Decode(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal(issuer.GetCurrentKey("RS256").KeyId, header.GetProperty("kid").GetString());
        Assert.Equal(issuer.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal("test-subject", payload.GetProperty("sub").GetString());
        Assert.Equal("buildkit", payload.GetProperty("aud").GetString());
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(now, payload.GetProperty("iat").GetInt64());
        Assert.Equal(now, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(now + 300, payload.GetProperty("exp").GetInt64());
        Assert.Equal(256, signature.Length);
        Assert.True(VerifyWithJwks(token, jwks));
    }

    [Fact]
    public async Task Es256_token_has_a_64_byte_p1363_signature_that_verifies_with_the_published_key()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        var jwks = await GetJsonAsync(http, issuer.JwksUrl);

        var token = issuer.CreateToken(new TestTokenOptions { Algorithm = "ES256" });

        var (header, _, _, signature) = Decode(token);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal(issuer.GetCurrentKey("ES256").KeyId, header.GetProperty("kid").GetString());
        Assert.Equal(64, signature.Length);
        Assert.True(VerifyWithJwks(token, jwks));
    }

    [Fact]
    public async Task Alg_none_token_is_unsigned_with_an_empty_signature()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);

        var token = issuer.CreateToken(new TestTokenOptions { Algorithm = "none" });

        Assert.EndsWith(".", token, StringComparison.Ordinal);
        var (header, payload, _, signature) = Decode(token);
        Assert.Equal("none", header.GetProperty("alg").GetString());
        Assert.False(header.TryGetProperty("kid", out _));
        Assert.Empty(signature);
        Assert.Equal("test-subject", payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Tampered_signature_and_forged_payload_no_longer_verify()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        var jwks = await GetJsonAsync(http, issuer.JwksUrl);

        foreach (var algorithm in new[] { "RS256", "ES256" })
        {
            var flipped = issuer.CreateToken(new TestTokenOptions { Algorithm = algorithm, Tampering = TestTokenTampering.FlipSignatureBit });
            var forged = issuer.CreateToken(new TestTokenOptions { Algorithm = algorithm, Tampering = TestTokenTampering.ModifyPayload });

            Assert.True(VerifyWithJwks(issuer.CreateToken(new TestTokenOptions { Algorithm = algorithm }), jwks));
            Assert.False(VerifyWithJwks(flipped, jwks));
            Assert.False(VerifyWithJwks(forged, jwks));
            Assert.Equal("test-subject-forged", Decode(forged).Payload.GetProperty("sub").GetString());
        }
    }

    [Fact]
    public async Task Token_signed_with_an_unpublished_key_names_a_kid_missing_from_the_jwks()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        var jwks = await GetJsonAsync(http, issuer.JwksUrl);
        using var stranger = TestSigningKey.Create("RS256");

        var unknown = issuer.CreateToken(new TestTokenOptions { Key = stranger });
        var impostor = issuer.CreateToken(new TestTokenOptions { Key = stranger, KeyId = issuer.GetCurrentKey("RS256").KeyId });

        Assert.Equal(stranger.KeyId, Decode(unknown).Header.GetProperty("kid").GetString());
        Assert.DoesNotContain(stranger.KeyId, jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.False(VerifyWithJwks(unknown, jwks));
        Assert.False(VerifyWithJwks(impostor, jwks));
        Assert.True(stranger.Verify(Decode(impostor).SignedData, Decode(impostor).Signature));
    }

    [Fact]
    public async Task Audience_array_issuer_override_explicit_times_and_ci_claims_are_written_as_given()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        var issuedAt = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var claims = TestTokenClaims.GitHubActions("acme/app", "refs/heads/main", environment: "prod");
        claims["run_attempt"] = 2;

        var token = issuer.CreateToken(new TestTokenOptions
        {
            Audiences = ["buildkit", "other"],
            Issuer = "https://evil.example",
            IssuedAt = issuedAt,
            NotBefore = issuedAt.AddMinutes(1),
            ExpiresAt = issuedAt.AddMinutes(-1),
            Claims = claims,
        });

        var payload = Decode(token).Payload;
        Assert.Equal(["buildkit", "other"], payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("https://evil.example", payload.GetProperty("iss").GetString());
        Assert.Equal(issuedAt.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(issuedAt.AddMinutes(1).ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt.AddMinutes(-1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal("repo:acme/app:environment:prod", payload.GetProperty("sub").GetString());
        Assert.Equal("acme/app", payload.GetProperty("repository").GetString());
        Assert.Equal("refs/heads/main", payload.GetProperty("ref").GetString());
        Assert.Equal("prod", payload.GetProperty("environment").GetString());
        Assert.Equal(2, payload.GetProperty("run_attempt").GetInt32());
        Assert.Single(payload.EnumerateObject(), p => p.Name == "sub");
    }

    [Fact]
    public async Task Registered_claims_can_be_omitted()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);

        var token = issuer.CreateToken(new TestTokenOptions
        {
            Issuer = "",
            Subject = null,
            Audience = null,
            OmitExpiry = true,
            OmitNotBefore = true,
            KeyId = "",
            Claims = TestTokenClaims.GitLab("group/project"),
        });

        var (header, payload, _, _) = Decode(token);
        Assert.False(header.TryGetProperty("kid", out _));
        Assert.Equal(["iat", "namespace_path", "pipeline_source", "project_path", "ref", "ref_type", "sub", "user_login"],
            payload.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("project_path:group/project:ref_type:branch:ref:main", payload.GetProperty("sub").GetString());
        Assert.Equal("group/project", payload.GetProperty("project_path").GetString());
        Assert.Equal("group", payload.GetProperty("namespace_path").GetString());
    }

    [Fact]
    public async Task Rotation_publishes_the_new_keys_beside_the_old_ones_and_signs_with_the_new_ones()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        var old = issuer.GetCurrentKey("RS256");
        var oldToken = issuer.CreateToken();

        var rotated = issuer.RotateKeys();

        Assert.Equal(["RS256", "ES256"], rotated.Select(k => k.Algorithm));
        var jwks = await GetJsonAsync(http, issuer.JwksUrl);
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal(4, kids.Count);
        Assert.Contains(old.KeyId, kids);
        Assert.All(rotated, k => Assert.Contains(k.KeyId, kids));
        var newToken = issuer.CreateToken();
        Assert.Equal(rotated[0].KeyId, Decode(newToken).Header.GetProperty("kid").GetString());
        Assert.True(VerifyWithJwks(newToken, jwks));
        Assert.True(VerifyWithJwks(oldToken, jwks));

        Assert.True(issuer.RemoveKey(old.KeyId));
        Assert.False(issuer.RemoveKey(old.KeyId));
        jwks = await GetJsonAsync(http, issuer.JwksUrl);
        Assert.Equal(3, jwks.GetProperty("keys").GetArrayLength());
        Assert.False(VerifyWithJwks(oldToken, jwks));
        Assert.True(VerifyWithJwks(newToken, jwks));
    }

    [Fact]
    public async Task Removing_the_current_key_falls_back_to_the_newest_remaining_key_of_its_algorithm()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(new TestOidcIssuerOptions { Algorithms = ["ES256"] }, Ct);
        var first = issuer.GetCurrentKey("ES256");
        var second = issuer.AddKey("ES256");

        Assert.Same(second, issuer.GetCurrentKey("ES256"));
        Assert.True(issuer.RemoveKey(second.KeyId));
        Assert.Same(first, issuer.GetCurrentKey("ES256"));
        Assert.True(issuer.RemoveKey(first.KeyId));
        Assert.Throws<InvalidOperationException>(() => issuer.GetCurrentKey("ES256"));
        Assert.Empty(issuer.PublishedKeys);
    }

    [Fact]
    public async Task Faults_answer_500_404_garbage_or_oversized_bodies_and_every_request_is_counted_per_path()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        issuer.DiscoveryFault = TestOidcFault.ServerError;
        using (var response = await http.GetAsync(new Uri(issuer.DiscoveryUrl), Ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        issuer.JwksFault = TestOidcFault.ServerError;
        using (var response = await http.GetAsync(new Uri(issuer.JwksUrl), Ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        issuer.JwksFault = TestOidcFault.NotFound;
        using (var response = await http.GetAsync(new Uri(issuer.JwksUrl), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        issuer.DiscoveryFault = TestOidcFault.InvalidJson;
        var garbage = await http.GetStringAsync(new Uri(issuer.DiscoveryUrl), Ct);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(garbage));

        issuer.JwksFault = TestOidcFault.Oversized;
        var big = await http.GetByteArrayAsync(new Uri(issuer.JwksUrl), Ct);
        Assert.True(big.Length > 2 * 1024 * 1024);
        using (JsonDocument.Parse(big))
        {
        }

        issuer.DiscoveryFault = TestOidcFault.None;
        await GetJsonAsync(http, issuer.DiscoveryUrl);

        Assert.Equal(3, issuer.DiscoveryRequestCount);
        Assert.Equal(3, issuer.JwksRequestCount);
        Assert.Equal(0, issuer.RequestCount("/elsewhere"));
    }

    [Fact]
    public async Task Abort_fault_resets_the_connection_without_a_response()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.DiscoveryFault = TestOidcFault.Abort;

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(issuer.DiscoveryUrl), Ct));
        Assert.Equal(1, issuer.DiscoveryRequestCount);
    }

    [Fact]
    public async Task Hang_fault_holds_the_request_until_the_client_gives_up()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();
        issuer.JwksFault = TestOidcFault.Hang;
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var request = http.GetAsync(new Uri(issuer.JwksUrl), giveUp.Token);
        await issuer.WaitForRequestCountAsync(issuer.JwksPath, 1, Ct);
        Assert.False(request.IsCompleted);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    [Fact]
    public async Task Overrides_replace_the_claimed_issuer_the_jwks_uri_and_whole_documents()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var http = issuer.CreateHttpClient();

        issuer.DiscoveryIssuerOverride = "https://someone-else.example";
        issuer.JwksUriOverride = "http://127.0.0.1:1/keys";
        var discovery = await GetJsonAsync(http, issuer.DiscoveryUrl);
        Assert.Equal("https://someone-else.example", discovery.GetProperty("issuer").GetString());
        Assert.Equal("http://127.0.0.1:1/keys", discovery.GetProperty("jwks_uri").GetString());

        issuer.JwksResponseOverride = """{"keys":[]}""";
        Assert.Equal(0, (await GetJsonAsync(http, issuer.JwksUrl)).GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task Https_issuer_is_not_trusted_by_a_default_client_but_is_by_its_own_handler()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(null, Ct);
        using var stranger = new HttpClient();
        using var trusting = new HttpClient(issuer.CreateHttpMessageHandler());

        await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync(new Uri(issuer.DiscoveryUrl), Ct));
        using var response = await trusting.GetAsync(new Uri(issuer.DiscoveryUrl), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(issuer.UsesHttps);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", issuer.CertificateAuthorityPem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_issuer_with_a_path_prefix_serves_discovery_below_the_prefix()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(new TestOidcIssuerOptions { UseHttps = false, PathPrefix = "/tenant-a/" }, Ct);
        using var http = new HttpClient();

        var discovery = await GetJsonAsync(http, issuer.DiscoveryUrl);

        Assert.False(issuer.UsesHttps);
        Assert.Null(issuer.CertificateAuthorityPem);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/tenant-a$", issuer.Issuer);
        Assert.Equal(issuer.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal("/tenant-a/.well-known/openid-configuration", issuer.DiscoveryPath);
        Assert.Equal(1, issuer.DiscoveryRequestCount);
        Assert.Equal(2, (await GetJsonAsync(http, discovery.GetProperty("jwks_uri").GetString()!)).GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public void Signing_keys_reject_unknown_algorithms_and_write_p384_coordinates_of_48_bytes()
    {
        Assert.Throws<ArgumentException>(() => TestSigningKey.Create("HS256"));
        using var key = TestSigningKey.Create("ES384", "k1");

        var jwk = JsonNode.Parse(key.ToPublicJwkJson())!;

        Assert.Equal("k1", (string?)jwk["kid"]);
        Assert.Equal("P-384", (string?)jwk["crv"]);
        Assert.Equal(48, Base64Url.DecodeFromChars((string?)jwk["x"]).Length);
        Assert.Equal(96, key.Sign("data"u8).Length);
    }
}
