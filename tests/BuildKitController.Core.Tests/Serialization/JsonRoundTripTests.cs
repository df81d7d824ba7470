using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Tests.Serialization;

public sealed class JsonRoundTripTests
{
    [Fact]
    public void Unknown_fields_at_every_level_survive_a_round_trip()
    {
        const string json = """
            {"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitPool","future":1,
             "metadata":{"name":"p","newMeta":"x"},
             "spec":{"newSection":{"a":[1,2]},
                     "scaling":{"min":1,"newKnob":true},
                     "auth":{"methods":[{"type":"oidc","oidc":{"issuer":"https://i","audience":"a","newOidc":"y"},"extra":2}]},
                     "cache":{"backends":[{"type":"registry","registry":{"endpoint":"r","ttl":"1h"}}]},
                     "worker":{"tolerations":[{"key":"k","operator":"Exists","newTol":1}],"affinity":{"nodeAffinity":{"x":1}}}},
             "status":{"workers":{"total":2,"warm":1},"newStatus":"z"}}
            """;

        var pool = JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitPool)!;
        var written = JsonSerializer.SerializeToNode(pool, CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal(1, (int)written["future"]!);
        Assert.Equal("x", (string?)written["metadata"]!["newMeta"]);
        Assert.Equal("[1,2]", written["spec"]!["newSection"]!["a"]!.ToJsonString());
        Assert.True((bool)written["spec"]!["scaling"]!["newKnob"]!);
        Assert.Equal("y", (string?)written["spec"]!["auth"]!["methods"]![0]!["oidc"]!["newOidc"]);
        Assert.Equal(2, (int)written["spec"]!["auth"]!["methods"]![0]!["extra"]!);
        Assert.Equal("1h", (string?)written["spec"]!["cache"]!["backends"]![0]!["registry"]!["ttl"]);
        Assert.Equal(1, (int)written["spec"]!["worker"]!["tolerations"]![0]!["newTol"]!);
        Assert.Equal("""{"nodeAffinity":{"x":1}}""", written["spec"]!["worker"]!["affinity"]!.ToJsonString());
        Assert.Equal(1, (int)written["status"]!["workers"]!["warm"]!);
        Assert.Equal("z", (string?)written["status"]!["newStatus"]);
    }

    [Fact]
    public void Known_fields_round_trip_unchanged()
    {
        const string json = """
            {"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitPool","metadata":{"name":"p","namespace":"ci"},
             "spec":{"scaling":{"mode":"auto","min":0,"max":10,"scaleDownSchedule":"0 18 * * 1-5"},
                     "resources":{"size":"lg","buildkit":{"requests":{"cpu":"2"}}},
                     "tls":{"enabled":true,"mode":"auto","auto":{"serverCertDuration":"8760h"}},
                     "gateway":{"enabled":false,"replicas":2,"tokenTTL":"1h","gatewayAPI":{"enabled":true,"hostname":"b.example.com"}},
                     "worker":{"securityProfile":"userns","nodeSelector":{"kubernetes.io/arch":"arm64"},"imagePullSecrets":[{"name":"s"}]}},
             "status":{"phase":"Running","endpoint":"tcp://p.ci.svc:1235","lastActivityTime":"2025-01-02T03:04:05Z",
                       "conditions":[{"type":"Ready","status":"True","reason":"GatewayReady","message":"ok","lastTransitionTime":"2025-01-02T03:04:05Z","observedGeneration":3}],
                       "connections":{"active":1,"total":7}}}
            """;

        var pool = JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitPool)!;
        var written = JsonSerializer.SerializeToNode(pool, CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal("userns", pool.Spec.Worker!.SecurityProfile);
        Assert.False(pool.Spec.Gateway!.Enabled);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), pool.Status!.LastActivityTime);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), written), written.ToJsonString());
    }

    [Fact]
    public void Numeric_quantities_are_read_as_strings()
    {
        const string json = """{"spec":{"resources":{"buildkit":{"requests":{"cpu":1,"memory":"2Gi"},"limits":{"cpu":0.5}},"sidecar":{"limits":{"cpu":2}}}}}""";

        var pool = JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal("1", pool.Spec.Resources!.Buildkit!.Requests!["cpu"]);
        Assert.Equal("2Gi", pool.Spec.Resources.Buildkit.Requests["memory"]);
        Assert.Equal("0.5", pool.Spec.Resources.Buildkit.Limits!["cpu"]);
        Assert.Equal("2", pool.Spec.Resources.Sidecar!.Limits!["cpu"]);
    }

    [Fact]
    public void Bare_auth_method_names_are_read_as_types_and_written_back_bare()
    {
        const string json = """{"spec":{"auth":{"methods":["mtls",{"type":"token","token":{"secretRef":"tokens"}}]}}}""";

        var pool = JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitPool)!;
        var written = JsonSerializer.SerializeToNode(pool, CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal(["mtls", "token"], pool.Spec.Auth!.Methods!.Select(m => m.Type));
        Assert.Equal("""["mtls",{"type":"token","token":{"secretRef":"tokens"}}]""", written["spec"]!["auth"]!["methods"]!.ToJsonString());
    }

    [Fact]
    public void Auth_method_objects_use_the_upstream_field_names()
    {
        var method = new AuthMethod
        {
            Type = "oidc",
            Mtls = new MtlsConfig { Required = true, ClientCaSecret = "ca" },
            Token = new TokenAuthConfig { SecretRef = "tokens" },
            Oidc = new OidcAuthConfig { Issuer = "https://i", Audience = "a", ClaimsMapping = new ClaimsMapping { User = "sub", Pools = "pools" } },
        };

        var json = JsonSerializer.Serialize(method, CoreJsonContext.Default.AuthMethod);

        Assert.Equal(
            """{"type":"oidc","mtls":{"required":true,"clientCASecret":"ca"},"token":{"secretRef":"tokens"},"oidc":{"issuer":"https://i","audience":"a","claimsMapping":{"user":"sub","pools":"pools"}}}""",
            json);
    }

    [Fact]
    public void A_bare_auth_method_that_gains_settings_is_written_as_an_object()
    {
        var pool = JsonSerializer.Deserialize("""{"spec":{"auth":{"methods":["mtls"]}}}""", CoreJsonContext.Default.BuildKitPool)!;
        pool.Spec.Auth!.Methods![0].Mtls = new MtlsConfig { Required = false };

        var written = JsonSerializer.SerializeToNode(pool, CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal("""[{"type":"mtls","mtls":{"required":false}}]""", written["spec"]!["auth"]!["methods"]!.ToJsonString());
    }

    [Fact]
    public void Auth_method_entries_of_another_shape_are_read_and_left_to_validation()
    {
        var pool = JsonSerializer.Deserialize("""{"spec":{"auth":{"methods":[1,null,["mtls"],"oidc"]}}}""", CoreJsonContext.Default.BuildKitPool)!;

        Assert.Equal(["1", "null", "[\"mtls\"]", "oidc"], pool.Spec.Auth!.Methods!.Select(m => m.Type));
    }

    [Theory]
    [InlineData("""{"spec":{"auth":{"methods":"mtls"}}}""")]
    [InlineData("""{"spec":{"resources":{"buildkit":[]}}}""")]
    public void Malformed_shapes_are_rejected_with_a_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitPool));
    }

    [Fact]
    public void Null_members_are_omitted_and_kind_comes_first()
    {
        var pool = new BuildKitPool { Metadata = { Name = "p" } };

        var json = JsonSerializer.Serialize(pool, CoreJsonContext.Default.BuildKitPool);

        Assert.Equal("""{"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitPool","metadata":{"name":"p"},"spec":{}}""", json);
    }

    [Fact]
    public void Worker_allocation_keeps_the_legacy_token_readable_and_writes_only_what_is_set()
    {
        const string legacy = """
            {"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitWorker","metadata":{"name":"w"},
             "spec":{"poolRef":{"name":"p"},"allocation":{"jobId":"j","token":"clear","allocatedAt":"2025-01-01T00:00:00Z"}},
             "status":{"phase":"Allocated","activeConnections":2}}
            """;

        var worker = JsonSerializer.Deserialize(legacy, CoreJsonContext.Default.BuildKitWorker)!;
        worker.Spec.Allocation = worker.Spec.Allocation! with { Token = null, TokenHash = "sha256:abc" };
        var written = JsonSerializer.SerializeToNode(worker, CoreJsonContext.Default.BuildKitWorker)!;

        Assert.Equal(2, worker.Status!.ActiveConnections);
        Assert.Null(written["spec"]!["allocation"]!["token"]);
        Assert.Equal("sha256:abc", (string?)written["spec"]!["allocation"]!["tokenHash"]);
        Assert.Equal("2025-01-01T00:00:00Z", (string?)written["spec"]!["allocation"]!["allocatedAt"]);
    }

    [Fact]
    public void List_type_infos_read_lists_of_each_kind()
    {
        var pools = JsonSerializer.Deserialize("""{"kind":"BuildKitPoolList","metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"a"}}]}""", BuildKitPool.ListJsonTypeInfo)!;
        var workers = JsonSerializer.Deserialize("""{"items":[{"spec":{"poolRef":{"name":"a"}}}]}""", BuildKitWorker.ListJsonTypeInfo)!;
        var configs = JsonSerializer.Deserialize("""{"items":[{"spec":{"issuer":"https://i","audience":"a"}}]}""", BuildKitOIDCConfig.ListJsonTypeInfo)!;

        Assert.Equal("a", pools.Items.Single().Metadata.Name);
        Assert.Equal("5", pools.Metadata.ResourceVersion);
        Assert.Equal("a", workers.Items.Single().Spec.PoolRef.Name);
        Assert.Equal("https://i", configs.Items.Single().Spec.Issuer);
    }
}
