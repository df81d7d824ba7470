using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BuildKitController.Testing.OpenApi;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

/// <summary>The rules kube-apiserver applies to CRD schemas (structural schema, defaults, CEL rule shape).</summary>
public sealed class CrdStructureTests
{
    private static readonly HashSet<string> SchemaKeys =
    [
        "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "multipleOf", "enum", "maxProperties", "minProperties",
        "required", "items", "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties", "nullable", "example",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
        "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations",
    ];

    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];
    private static readonly HashSet<string> RuleReasons = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];

    public static TheoryData<string> Kinds => ["BuildKitPool", "BuildKitWorker", "BuildKitOIDCConfig"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_follows_the_structural_schema_rules(string kind)
    {
        var problems = new List<string>();
        Check(CrdManifests.OpenApiSchema(kind), "openAPIV3Schema", isRoot: true, problems);

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_default_is_valid_and_survives_pruning(string kind)
    {
        var problems = new List<string>();
        foreach (var (path, node) in Nodes(CrdManifests.OpenApiSchema(kind), "openAPIV3Schema"))
        {
            if (!node.ContainsKey("default"))
            {
                continue;
            }

            var schema = StructuralSchema.Parse(node);
            var value = node["default"]!.DeepClone();
            var pruned = value.DeepClone();
            schema.Prune(pruned);
            if (!JsonNode.DeepEquals(value, pruned))
            {
                problems.Add($"{path}: default changes when pruned");
            }

            schema.ApplyDefaults(pruned);
            problems.AddRange(schema.Validate(pruned).Select(error => $"{path}: default is invalid: {error}"));
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Patterns_use_only_RE2_syntax(string kind)
    {
        var patterns = Nodes(CrdManifests.OpenApiSchema(kind), "openAPIV3Schema")
            .Where(n => n.Node["pattern"] is not null)
            .Select(n => (n.Path, Pattern: (string)n.Node["pattern"]!))
            .ToList();

        Assert.All(patterns, p =>
        {
            Assert.DoesNotContain("(?", p.Pattern, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\\[1-9]", p.Pattern);
            _ = new Regex(p.Pattern);
        });
    }

    [Fact]
    public void Cross_field_rules_are_declared_where_the_brief_asks_for_them()
    {
        var spec = CrdManifests.OpenApiSchema("BuildKitPool")["properties"]!["spec"]!["properties"]!;

        Assert.Contains("self.min <= self.max", Rules(spec["scaling"]!), StringComparer.Ordinal);
        Assert.Contains("duration(self.tokenTTL) <= duration(self.maxTokenTTL)", string.Join(" ", Rules(spec["gateway"]!)), StringComparison.Ordinal);
        Assert.Contains("duration(self) > duration('0s')", Rules(spec["scaling"]!["properties"]!["scaleDownDelay"]!), StringComparer.Ordinal);
        Assert.Contains("has(self.hostname)", string.Join(" ", Rules(spec["gateway"]!["properties"]!["gatewayAPI"]!)), StringComparison.Ordinal);

        static IEnumerable<string> Rules(JsonNode node) =>
            node["x-kubernetes-validations"]!.AsArray().Select(r => ((string)r!["rule"]!).Replace("!has(self.min) || !has(self.max) || ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0 18 * * 1-5", true)]
    [InlineData("CRON_TZ=Europe/Berlin 0 19 * * mon-fri", true)]
    [InlineData("@daily", true)]
    [InlineData("*/5 * * * *", true)]
    [InlineData("0 18 * *", false)]
    [InlineData("every day", false)]
    [InlineData("0 18 * * 1-5 extra", false)]
    public void Cron_pattern_of_the_schema_accepts_five_fields(string value, bool valid)
    {
        var pattern = (string)CrdManifests.OpenApiSchema("BuildKitPool")["properties"]!["spec"]!["properties"]!["scaling"]!["properties"]!["scaleDownSchedule"]!["pattern"]!;

        Assert.Equal(valid, Regex.IsMatch(value, pattern));
    }

    [Theory]
    [InlineData("1h30m", true)]
    [InlineData("720h", true)]
    [InlineData("90s", true)]
    [InlineData("1.5h", true)]
    [InlineData("300ms", true)]
    [InlineData("10µs", true)]
    [InlineData("-5m", false)]
    [InlineData("0", false)]
    [InlineData("1d", false)]
    [InlineData("15 minutes", false)]
    [InlineData("h", false)]
    public void Duration_pattern_of_the_schema_matches_Go_syntax(string value, bool valid)
    {
        var pattern = (string)CrdManifests.OpenApiSchema("BuildKitPool")["properties"]!["spec"]!["properties"]!["gateway"]!["properties"]!["tokenTTL"]!["pattern"]!;

        Assert.Equal(valid, Regex.IsMatch(value, pattern));
        if (valid)
        {
            Assert.True(Core.Time.GoDuration.TryParse(value, out _));
        }
    }

    private static void Check(JsonNode? schemaNode, string path, bool isRoot, List<string> problems)
    {
        if (schemaNode is not JsonObject schema)
        {
            problems.Add($"{path}: not an object");
            return;
        }

        foreach (var key in schema.Select(p => p.Key).Where(k => !SchemaKeys.Contains(k)))
        {
            problems.Add($"{path}: unknown schema keyword '{key}' (misplaced property?)");
        }

        var type = (string?)schema["type"];
        var preserve = schema["x-kubernetes-preserve-unknown-fields"];
        var intOrString = (bool?)schema["x-kubernetes-int-or-string"] == true;
        if (preserve is not null && (bool?)preserve != true)
        {
            problems.Add($"{path}: x-kubernetes-preserve-unknown-fields must be true or absent");
        }

        if (type is null && !intOrString && (bool?)preserve != true)
        {
            problems.Add($"{path}: type is required");
        }

        if (type is not null && !Types.Contains(type))
        {
            problems.Add($"{path}: unknown type {type}");
        }

        if (isRoot && type != "object")
        {
            problems.Add($"{path}: the root must be an object");
        }

        if (type == "array" && schema["items"] is null)
        {
            problems.Add($"{path}: arrays need items");
        }

        if (schema["additionalProperties"] is not null && (schema["properties"] is not null || isRoot))
        {
            problems.Add($"{path}: additionalProperties cannot be combined with properties or used at the root");
        }

        if (schema["x-kubernetes-list-type"] is not null && type != "array")
        {
            problems.Add($"{path}: x-kubernetes-list-type needs type array");
        }

        if (schema["enum"] is JsonArray values && type is not null)
        {
            foreach (var value in values)
            {
                var kind = value?.GetValueKind().ToString() ?? "Null";
                var fits = type switch
                {
                    "string" => kind == "String",
                    "integer" or "number" => kind == "Number",
                    "boolean" => kind is "True" or "False",
                    _ => true,
                };
                if (!fits)
                {
                    problems.Add($"{path}: enum value {value?.ToJsonString()} is not a {type}");
                }
            }
        }

        CheckRules(schema, path, problems);

        foreach (var junctor in new[] { "anyOf", "allOf", "oneOf" })
        {
            if (schema[junctor] is JsonArray branches)
            {
                var isIntOrStringPattern = junctor == "anyOf" && intOrString && branches.Count == 2
                    && (string?)branches[0]?["type"] == "integer" && (string?)branches[1]?["type"] == "string";
                if (!isIntOrStringPattern)
                {
                    foreach (var branch in branches)
                    {
                        CheckJunctorBranch(branch, $"{path}.{junctor}", problems);
                    }
                }
            }
        }

        if (schema["not"] is { } not)
        {
            CheckJunctorBranch(not, $"{path}.not", problems);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (isRoot && name == "metadata")
                {
                    if (!JsonNode.DeepEquals(child, new JsonObject { ["type"] = "object" }))
                    {
                        problems.Add($"{path}.properties.metadata: only {{type: object}} is allowed");
                    }

                    continue;
                }

                Check(child, $"{path}.properties.{name}", isRoot: false, problems);
            }
        }

        if (schema["items"] is { } items)
        {
            Check(items, $"{path}.items", isRoot: false, problems);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Check(additional, $"{path}.additionalProperties", isRoot: false, problems);
        }
    }

    private static void CheckRules(JsonObject schema, string path, List<string> problems)
    {
        if (schema["x-kubernetes-validations"] is not JsonArray rules)
        {
            return;
        }

        foreach (var rule in rules)
        {
            var text = (string?)rule?["rule"];
            var message = (string?)rule?["message"];
            if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(message) || message.Contains('\n', StringComparison.Ordinal))
            {
                problems.Add($"{path}: every CEL rule needs a rule and a one-line message");
            }

            if ((string?)rule?["reason"] is { } reason && !RuleReasons.Contains(reason))
            {
                problems.Add($"{path}: unsupported rule reason {reason}");
            }

            if ((string?)rule?["fieldPath"] is { } fieldPath)
            {
                JsonNode? target = schema;
                foreach (var segment in fieldPath.TrimStart('.').Split('.'))
                {
                    target = target?["properties"]?[segment];
                }

                if (target is null)
                {
                    problems.Add($"{path}: fieldPath {fieldPath} does not name a property");
                }
            }

            foreach (var field in Regex.Matches(text ?? "", @"self\.([A-Za-z]+)").Select(m => m.Groups[1].Value).Distinct())
            {
                if (schema["properties"]?[field] is null)
                {
                    problems.Add($"{path}: rule refers to self.{field}, which the schema does not define");
                }
            }
        }
    }

    private static void CheckJunctorBranch(JsonNode? branch, string path, List<string> problems)
    {
        foreach (var forbidden in new[] { "type", "default", "description", "nullable", "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations" })
        {
            if (branch?[forbidden] is not null)
            {
                problems.Add($"{path}: '{forbidden}' is not allowed inside a logical junctor");
            }
        }
    }

    private static IEnumerable<(string Path, JsonObject Node)> Nodes(JsonObject schema, string path)
    {
        yield return (path, schema);
        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var nested in Nodes((JsonObject)child!, $"{path}.properties.{name}"))
            {
                yield return nested;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var nested in Nodes(items, $"{path}.items"))
            {
                yield return nested;
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            foreach (var nested in Nodes(additional, $"{path}.additionalProperties"))
            {
                yield return nested;
            }
        }
    }
}
