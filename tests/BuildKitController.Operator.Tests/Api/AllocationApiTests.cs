using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Operator.Allocation;
using BuildKitController.Operator.Api;

namespace BuildKitController.Operator.Tests.Api;

public sealed class AllocationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Decode(string? base64) => Encoding.ASCII.GetString(Convert.FromBase64String(base64!));

    [Fact]
    public async Task Allocate_lookup_renew_and_release_over_http_with_ownership_enforced()
    {
        using var exporter = new PrometheusExporter([ApiMetrics.MeterName, AllocationMetrics.MeterName]);
        await using var h = await ApiHarness.StartAsync();
        await h.CreatePoolAsync("ci", "alice", "bob");
        await h.ReadyAsync("ci");

        var (status, body, response) = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "alice-token", """{"poolName":"ci","namespace":"default","ttl":"20m","jobId":"build-1"}""");
        Assert.Equal(200, status);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("X-Request-Id").Single()));
        var token = body!["token"]!.GetValue<string>();
        var workerName = body["workerName"]!.GetValue<string>();
        Assert.Equal("tcp://ci.default.svc:1235", body["gatewayEndpoint"]!.GetValue<string>());
        using (var certificate = X509Certificate2.CreateFromPem(Decode(body["clientCert"]!.GetValue<string>()), Decode(body["clientKey"]!.GetValue<string>())))
        {
            Assert.Equal($"alloc:{token}", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        }

        Assert.Contains("BEGIN CERTIFICATE", Decode(body["caCert"]!.GetValue<string>()), StringComparison.Ordinal);
        var worker = await h.Pools.Client.For<BuildKitWorker>().GetAsync("default", workerName, Ct);
        Assert.Equal(ApiHarness.User("alice"), worker.Spec.Allocation!.RequestedBy);

        // Lookup is for the pool's gateway (or an admin), not for callers.
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/lookup", "alice-token", $$"""{"token":"{{token}}"}""")).Status);
        var lookup = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/lookup", "ci-gateway-token", $$"""{"token":"{{token}}"}""");
        Assert.Equal(200, lookup.Status);
        Assert.Equal(workerName, lookup.Body!["workerName"]!.GetValue<string>());
        Assert.StartsWith("tcp://", lookup.Body["workerEndpoint"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only the allocating identity renews and releases; release is idempotent.
        var bobRelease = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/release", "bob-token", $$"""{"token":"{{token}}"}""");
        Assert.Equal(403, bobRelease.Status);
        Assert.Equal("forbidden", bobRelease.Body!["error"]!["code"]!.GetValue<string>());
        var renew = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/renew", "alice-token", $$"""{"token":"{{token}}","ttl":"2h"}""");
        Assert.Equal(200, renew.Status);
        Assert.True(renew.Body!["expiresAt"]!.GetValue<DateTimeOffset>() > body["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/release", "alice-token", $$"""{"token":"{{token}}"}""")).Status);
        var again = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/release", "alice-token", $$"""{"token":"{{token}}"}""");
        Assert.Equal(200, again.Status);
        Assert.Equal("released", again.Body!["status"]!.GetValue<string>());
        await h.Pools.WaitForAsync<BuildKitWorker>("default", workerName, w => w is null);

        var scrape = exporter.Scrape();
        Assert.Contains("buildkit_controller_api_requests_total{endpoint=\"/api/v1/workers/allocate\",method=\"POST\",status=\"200\"}", scrape, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_api_requests_total{endpoint=\"/api/v1/workers/release\",method=\"POST\",status=\"403\"}", scrape, StringComparison.Ordinal);
        Assert.Contains("buildkit_worker_allocation_duration_seconds_bucket{pool=\"ci\"", scrape, StringComparison.Ordinal);
        Assert.Contains("buildkit_allocation_queue_length{namespace=\"default\",pool=\"ci\"} 0", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_endpoint_authenticates_and_authorizes()
    {
        await using var h = await ApiHarness.StartAsync();
        await h.CreatePoolAsync("ci", "alice", "bob");
        await h.CreatePoolAsync("private", "alice");
        await h.ReadyAsync("ci");
        await h.ReadyAsync("private");

        string[] posts = ["/api/v1/workers/allocate", "/api/v1/workers/release", "/api/v1/workers/renew", "/api/v1/workers/lookup", "/api/v1/certs/request", "/api/v1/allocate", "/api/v1/pools/ci/wake"];
        foreach (var path in posts)
        {
            foreach (var token in new string?[] { null, "bad-token" })
            {
                var (status, body, response) = await h.SendAsync(HttpMethod.Post, path, token, """{"poolName":"ci","token":"x","pools":["ci"]}""");
                Assert.True(status == 401, $"{path} with {token ?? "no token"}: {status}");
                Assert.Equal("unauthenticated", body!["error"]!["code"]!.GetValue<string>());
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
        }

        Assert.Equal(401, (await h.SendAsync(HttpMethod.Get, "/api/v1/pools", null)).Status);
        Assert.Equal(401, (await h.SendAsync(HttpMethod.Get, "/api/v1/pools/ci", "bad-token")).Status);
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Get, "/api/v1/health", null)).Status);
        var openApi = await h.SendAsync(HttpMethod.Get, "/api/v1/openapi.yaml", null);
        Assert.Equal(200, openApi.Status);
        Assert.Contains("openapi: \"3.1", await openApi.Response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Bob may use ci but not private: allocate, wake, get and certs are refused, and private is not listed.
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "bob-token", """{"poolName":"private"}""")).Status);
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Post, "/api/v1/pools/private/wake", "bob-token")).Status);
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Get, "/api/v1/pools/private", "bob-token")).Status);
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Post, "/api/v1/certs/request", "bob-token", """{"pools":["private"]}""")).Status);
        var listed = await h.SendAsync(HttpMethod.Get, "/api/v1/pools", "bob-token");
        Assert.Equal(["ci"], listed.Body!["pools"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var pool = await h.SendAsync(HttpMethod.Get, "/api/v1/pools/ci", "bob-token");
        Assert.Equal(200, pool.Status);
        Assert.Equal("tcp://ci.default.svc:1235", pool.Body!["endpoint"]!.GetValue<string>());

        // An admin may everything; a certificate request yields an identity certificate, never a Secret's content.
        Assert.Equal(2, (await h.SendAsync(HttpMethod.Get, "/api/v1/pools", "admin-token")).Body!["pools"]!.AsArray().Count);
        var certs = await h.SendAsync(HttpMethod.Post, "/api/v1/certs/request", "alice-token", """{"pools":["private","default/ci"],"duration":"1h"}""");
        Assert.Equal(200, certs.Status);
        using (var identity = X509Certificate2.CreateFromPem(certs.Body!["clientCert"]!.GetValue<string>()))
        {
            Assert.Equal(ApiHarness.User("alice"), identity.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        }

        // The legacy endpoint never returns the content of a named Secret.
        var legacy = await h.SendAsync(HttpMethod.Post, "/api/v1/allocate", "alice-token", """{"poolName":"ci","useExistingCerts":true,"certSecretName":"ci-client-certs"}""");
        Assert.Equal(400, legacy.Status);
        Assert.DoesNotContain("BEGIN", legacy.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_requests_get_json_errors_and_never_break_the_server()
    {
        await using var h = await ApiHarness.StartAsync();
        await h.CreatePoolAsync("ci", "alice");
        await h.ReadyAsync("ci");
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        var corpus = new (string Name, string Body, string ContentType, int Expected)[]
        {
            ("not json", "poolName=ci", "application/json", 400),
            ("truncated", """{"poolName":"ci" """, "application/json", 400),
            ("wrong type", """{"poolName":5}""", "application/json", 400),
            ("array", """[1,2,3]""", "application/json", 400),
            ("null", "null", "application/json", 400),
            ("empty", "", "application/json", 400),
            ("metadata not a map", """{"poolName":"ci","metadata":["a"]}""", "application/json", 400),
            ("deep nesting", $$"""{"poolName":"ci","metadata":{{deep}}}""", "application/json", 400),
            ("negative ttl", """{"poolName":"ci","ttl":"-1h"}""", "application/json", 400),
            ("unparsable ttl", """{"poolName":"ci","ttl":"tomorrow"}""", "application/json", 400),
            ("huge job id", $$"""{"poolName":"ci","jobId":"{{new string('j', 5000)}}"}""", "application/json", 400),
            ("too many metadata", "{\"poolName\":\"ci\",\"metadata\":{" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"k{i}\":\"v\"")) + "}}", "application/json", 400),
            ("huge number", """{"poolName":"ci","ttl":1e999}""", "application/json", 400),
            ("bad csr", """{"poolName":"ci","csr":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"}""", "application/json", 400),
            ("wrong content type", """{"poolName":"ci"}""", "text/plain", 415),
            ("oversized", "{\"poolName\":\"ci\",\"jobId\":\"" + new string('x', 100_000) + "\"}", "application/json", 413),
        };
        foreach (var (name, body, contentType, expected) in corpus)
        {
            var (status, json, _) = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "alice-token", body, contentType);
            Assert.True(status == expected, $"{name}: {status}");
            Assert.False(string.IsNullOrEmpty(json?["error"]?["code"]?.GetValue<string>()), name);
        }

        // Invalid UTF-8.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(h.Address, "/api/v1/workers/allocate")))
        {
            request.Headers.Authorization = new("Bearer", "alice-token");
            request.Content = new ByteArrayContent([0x7B, 0x22, 0x70, 0x6F, 0x6F, 0x6C, 0x4E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]);
            request.Content.Headers.ContentType = new("application/json");
            Assert.Equal(400, (await h.SendAsync(request)).Status);
        }

        Assert.Equal(405, (await h.SendAsync(HttpMethod.Get, "/api/v1/workers/allocate", "alice-token")).Status);
        Assert.Equal(404, (await h.SendAsync(HttpMethod.Get, "/api/v1/nope", "alice-token")).Status);
        Assert.Equal(404, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "alice-token", """{"poolName":"missing"}""")).Status);

        // Nothing was allocated by any of it, and the server still works.
        Assert.DoesNotContain((await h.Pools.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items, w => w.Spec.Allocation is not null);
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "alice-token", """{"poolName":"ci"}""")).Status);
    }
}
