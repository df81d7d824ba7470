using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

public sealed class CrdDriftTests
{
    public static TheoryData<string> Kinds => ["BuildKitPool", "BuildKitWorker", "BuildKitOIDCConfig"];

    // Every enum of every schema, with the C# constants that must list exactly the same values.
    private static readonly Dictionary<string, Dictionary<string, IReadOnlyList<string>>> ExpectedEnums = new()
    {
        ["BuildKitPool"] = new()
        {
            ["spec.scaling.mode"] = ScalingModes.All,
            ["spec.resources.size"] = ResourceSizes.All,
            ["spec.cache.backends[].type"] = CacheBackendTypes.All,
            ["spec.tls.mode"] = TlsModes.All,
            ["spec.networking.serviceType"] = ServiceTypes.All,
            ["spec.gateway.serviceType"] = ServiceTypes.All,
            ["spec.gateway.gatewayAPI.tls.mode"] = GatewayApiTlsModes.All,
            ["spec.worker.securityProfile"] = SecurityProfiles.All,
            ["status.phase"] = PoolPhases.All,
            ["status.conditions[].status"] = ConditionStatuses,
        },
        ["BuildKitWorker"] = new()
        {
            ["status.phase"] = WorkerPhases.All,
            ["status.conditions[].status"] = ConditionStatuses,
        },
        ["BuildKitOIDCConfig"] = new()
        {
            ["status.conditions[].status"] = ConditionStatuses,
        },
    };

    private static IReadOnlyList<string> ConditionStatuses => [ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_and_CSharp_type_have_the_same_properties_and_JSON_types(string kind)
    {
        var drift = SchemaDrift.Compare(CrdManifests.OpenApiSchema(kind), TypeInfoFor(kind));

        Assert.Empty(drift.Errors);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Only_the_string_or_object_auth_methods_are_opaque_to_the_schema(string kind)
    {
        var drift = SchemaDrift.Compare(CrdManifests.OpenApiSchema(kind), TypeInfoFor(kind));

        Assert.Equal(kind == "BuildKitPool" ? ["spec.auth.methods[]"] : [], drift.Opaque);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_enums_are_exactly_the_CSharp_constants(string kind)
    {
        var drift = SchemaDrift.Compare(CrdManifests.OpenApiSchema(kind), TypeInfoFor(kind));
        var expected = ExpectedEnums[kind];

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), drift.Enums.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, values) in expected)
        {
            Assert.True(
                values.Order(StringComparer.Ordinal).SequenceEqual(drift.Enums[path].Order(StringComparer.Ordinal)),
                $"{path}: schema [{string.Join(", ", drift.Enums[path])}] vs C# [{string.Join(", ", values)}]");
        }
    }

    [Fact]
    public void Every_constant_of_an_enum_class_is_listed_in_All()
    {
        Type[] classes = [typeof(ScalingModes), typeof(ResourceSizes), typeof(CacheBackendTypes), typeof(TlsModes), typeof(AuthMethodTypes), typeof(ServiceTypes), typeof(GatewayApiTlsModes), typeof(SecurityProfiles), typeof(PoolPhases), typeof(WorkerPhases)];
        foreach (var type in classes)
        {
            var constants = type.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);
            var all = ((IReadOnlyList<string>)type.GetProperty("All")!.GetValue(null)!).Order(StringComparer.Ordinal);

            Assert.Equal(constants, all);
        }
    }

    [Fact]
    public void Pool_schema_defaults_agree_with_the_CSharp_defaulting_for_an_empty_pool()
    {
        var pool = JsonNode.Parse("""{"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitPool","metadata":{"name":"p"}}""")!;

        AssertSchemaDefaultsMatch(pool);
    }

    [Fact]
    public void Pool_schema_defaults_agree_with_the_CSharp_defaulting_when_every_object_is_present()
    {
        var schema = CrdManifests.OpenApiSchema("BuildKitPool");
        var skeleton = Skeleton((JsonObject)schema["properties"]!["spec"]!);
        var pool = new JsonObject
        {
            ["apiVersion"] = BuildKitApi.ApiVersion,
            ["kind"] = "BuildKitPool",
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = skeleton,
        };

        var exercised = AssertSchemaDefaultsMatch(pool);

        Assert.Equal(CountLeafDefaults((JsonObject)schema["properties"]!["spec"]!), exercised);
    }

    [Fact]
    public void OIDC_config_schema_defaults_agree_with_the_CSharp_defaulting()
    {
        var schema = CrdManifests.Schema("BuildKitOIDCConfig");
        var config = JsonNode.Parse("""{"spec":{"issuer":"https://issuer.example.com","audience":"a","clientSecretRef":{"name":"s"}}}""")!;
        var bySchema = config.DeepClone();
        schema.ApplyDefaults(bySchema);

        var spec = config["spec"].Deserialize(CoreJsonContext.Default.BuildKitOIDCConfigSpec)!;
        var byCode = JsonSerializer.SerializeToNode(BuildKitOIDCConfigDefaulter.Apply(spec), CoreJsonContext.Default.BuildKitOIDCConfigSpec)!;

        var mismatches = new List<string>();
        Contains(bySchema["spec"]!, byCode, "spec", mismatches);
        Assert.Empty(mismatches);
        Assert.Equal(true, (bool?)bySchema["spec"]!["enabled"]);
    }

    [Fact]
    public void Worker_schema_has_no_defaults_because_workers_are_written_by_the_controller_only()
    {
        Assert.Equal(0, CountLeafDefaults(CrdManifests.OpenApiSchema("BuildKitWorker")));
    }

    // Applies schema defaults and C# defaults to the same pool; every value the schema produces must be in the C#
    // result. Returns how many schema defaults were applied.
    private static int AssertSchemaDefaultsMatch(JsonNode pool)
    {
        var bySchema = pool.DeepClone();
        CrdManifests.Schema("BuildKitPool").ApplyDefaults(bySchema);

        var typed = pool.Deserialize(CoreJsonContext.Default.BuildKitPool)!;
        var byCode = JsonSerializer.SerializeToNode(BuildKitPoolDefaulter.Apply(typed), CoreJsonContext.Default.BuildKitPool)!;

        var mismatches = new List<string>();
        Contains(bySchema["spec"]!, byCode["spec"], "spec", mismatches);
        Assert.Empty(mismatches);
        return CountAdded(pool["spec"], bySchema["spec"]);
    }

    // Every leaf of expected is present, with the same value, in actual.
    private static void Contains(JsonNode? expected, JsonNode? actual, string path, List<string> mismatches)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    mismatches.Add($"{path}: schema gives an object, C# gives {actual?.ToJsonString() ?? "nothing"}");
                    return;
                }

                foreach (var (key, value) in expectedObject)
                {
                    Contains(value, actualObject[key], $"{path}.{key}", mismatches);
                }

                break;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    mismatches.Add($"{path}: schema gives {expectedArray.ToJsonString()}, C# gives {actual?.ToJsonString() ?? "nothing"}");
                    return;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Contains(expectedArray[i], actualArray[i], $"{path}[{i}]", mismatches);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    mismatches.Add($"{path}: schema default {expected?.ToJsonString() ?? "null"}, C# default {actual?.ToJsonString() ?? "nothing"}");
                }

                break;
        }
    }

    // An instance holding every object of the schema (one item per array), with required scalars filled in.
    private static JsonObject Skeleton(JsonObject schema)
    {
        var result = new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(r => (string)r!).ToHashSet() ?? [];
        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            var childSchema = (JsonObject)child!;
            var type = (string?)childSchema["type"];
            if (type == "object" || (type is null && childSchema["properties"] is not null))
            {
                result[name] = childSchema["properties"] is null ? new JsonObject() : Skeleton(childSchema);
            }
            else if (type == "array" && childSchema["items"] is JsonObject items && ((string?)items["type"] == "object" || items["properties"] is not null))
            {
                result[name] = new JsonArray(items["properties"] is null ? new JsonObject() : Skeleton(items));
            }
            else if (required.Contains(name))
            {
                result[name] = type switch
                {
                    "array" => new JsonArray(),
                    "string" when childSchema["enum"] is JsonArray values => values[0]!.DeepClone(),
                    "string" => "x",
                    _ => throw new InvalidOperationException($"no skeleton value for required {type} {name}"),
                };
            }
        }

        return result;
    }

    // Defaults other than empty objects (those only carry nested defaults).
    private static int CountLeafDefaults(JsonNode? schema) => schema switch
    {
        JsonObject obj => (obj.ContainsKey("default") && obj["default"] is not JsonObject ? 1 : 0) + obj.Where(p => p.Key != "default").Sum(p => CountLeafDefaults(p.Value)),
        JsonArray array => array.Sum(CountLeafDefaults),
        _ => 0,
    };

    // Number of leaves or objects present in after but not in before.
    private static int CountAdded(JsonNode? before, JsonNode? after)
    {
        if (after is not JsonObject afterObject)
        {
            return after is JsonArray afterArray && before is JsonArray beforeArray
                ? afterArray.Select((item, i) => CountAdded(i < beforeArray.Count ? beforeArray[i] : null, item)).Sum()
                : 0;
        }

        var beforeObject = before as JsonObject;
        var added = 0;
        foreach (var (key, value) in afterObject)
        {
            if (beforeObject is null || !beforeObject.ContainsKey(key))
            {
                added += 1 + CountAdded(new JsonObject(), value);
            }
            else
            {
                added += CountAdded(beforeObject[key], value);
            }
        }

        return added;
    }

    private static JsonTypeInfo TypeInfoFor(string kind) => kind switch
    {
        "BuildKitPool" => BuildKitPool.JsonTypeInfo,
        "BuildKitWorker" => BuildKitWorker.JsonTypeInfo,
        "BuildKitOIDCConfig" => BuildKitOIDCConfig.JsonTypeInfo,
        _ => throw new ArgumentException(kind, nameof(kind)),
    };
}
