using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models.Serialization;
using BuildKitController.Kubernetes.Yaml;

namespace BuildKitController.Operator.Manifests;

/// <summary>
/// Checks BuildKit manifests offline the way the cluster will: every document must deserialize into the CRD
/// model, pass the controller's validation, and carry no unknown fields (the API server would prune them
/// silently). Pools are summarised with every default applied. Documents of other kinds are skipped.
/// </summary>
internal static class ManifestChecker
{
    public static IReadOnlyList<ManifestFinding> CheckText(string source, string yaml, PoolDefaultingOptions? defaults = null)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJson.ParseDocuments(yaml);
        }
        catch (InvalidDataException ex)
        {
            return [new ManifestFinding(source, "<unreadable>", null, [ex.Message], [], [])];
        }

        var findings = new List<ManifestFinding>();
        for (var i = 0; i < documents.Count; i++)
        {
            var where = documents.Count == 1 ? source : $"{source}#{i + 1}";
            if (CheckDocument(where, documents[i], defaults) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    private static ManifestFinding? CheckDocument(string source, JsonNode document, PoolDefaultingOptions? defaults)
    {
        if (document is not JsonObject root)
        {
            return new ManifestFinding(source, "<not an object>", null, ["a manifest document must be a mapping"], [], []);
        }

        var apiVersion = root["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var version) ? version : null;
        var kind = root["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : null;
        if (apiVersion != BuildKitApi.ApiVersion)
        {
            return null;
        }

        try
        {
            return kind switch
            {
                "BuildKitPool" => CheckPool(source, root, defaults),
                "BuildKitOIDCConfig" => Check(source, kind, root, BuildKitOIDCConfig.JsonTypeInfo, BuildKitOIDCConfigValidator.Validate, c => c.Metadata.Name, _ => []),
                "BuildKitWorker" => Check(source, kind, root, BuildKitWorker.JsonTypeInfo, BuildKitWorkerValidator.Validate, w => w.Metadata.Name, _ => []),
                _ => new ManifestFinding(source, kind ?? "<no kind>", null, [$"unknown kind '{kind}' in {BuildKitApi.ApiVersion}"], [], []),
            };
        }
        catch (JsonException ex)
        {
            return new ManifestFinding(source, kind!, NameOf(root), [$"{ex.Path}: {ex.Message}"], [], []);
        }
    }

    private static ManifestFinding CheckPool(string source, JsonObject root, PoolDefaultingOptions? defaults) =>
        Check(source, "BuildKitPool", root, BuildKitPool.JsonTypeInfo, p => BuildKitPoolValidator.Validate(p, defaults), p => p.Metadata.Name, p => Summarise(p, defaults));

    private static ManifestFinding Check<T>(
        string source,
        string kind,
        JsonObject root,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo,
        Func<T, IReadOnlyList<FieldError>> validate,
        Func<T, string?> name,
        Func<T, IReadOnlyList<string>> summarise)
        where T : class
    {
        var value = root.Deserialize(typeInfo) ?? throw new JsonException("the document is null");
        var errors = validate(value).Select(e => e.ToString()).ToList();
        var warnings = UnknownFields.Find(value, CoreJsonContext.Default.Options)
            .Select(u => $"unknown field(s) at {u} (the API server drops them)")
            .ToList();
        return new ManifestFinding(source, kind, name(value), errors, warnings, errors.Count == 0 ? summarise(value) : []);
    }

    private static List<string> Summarise(BuildKitPool pool, PoolDefaultingOptions? defaults)
    {
        var spec = BuildKitPoolDefaulter.Apply(pool, defaults).Spec;
        var scaling = spec.Scaling!;
        var gateway = spec.Gateway!;
        var worker = spec.Worker;
        var resources = spec.Resources?.Buildkit;
        string Quantities(Dictionary<string, string>? values) =>
            values is null or { Count: 0 } ? "-" : string.Join(" ", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

        return
        [
            string.Create(CultureInfo.InvariantCulture, $"scaling: min {scaling.Min}, max {scaling.Max}, idle workers above min removed after {scaling.ScaleDownDelay}{(string.IsNullOrEmpty(scaling.ScaleDownSchedule) ? "" : $", scale-down schedule '{scaling.ScaleDownSchedule}'")}"),
            string.Create(CultureInfo.InvariantCulture, $"gateway: {gateway.Replicas} replica(s), Service {gateway.ServiceType} port {gateway.Port}, token TTL {gateway.TokenTtl} (max {gateway.MaxTokenTtl})"),
            $"workers: image {spec.BuildkitImage}, profile {worker?.SecurityProfile ?? SecurityProfiles.Rootless}, requests {Quantities(resources?.Requests)}, limits {Quantities(resources?.Limits)}",
            $"tls: mode {spec.Tls?.Mode}, certificates valid {spec.Tls?.Auto?.ServerCertDuration}",
        ];
    }

    private static string? NameOf(JsonObject root) =>
        root["metadata"]?["name"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : null;
}
