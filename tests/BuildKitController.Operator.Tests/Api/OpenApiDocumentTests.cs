using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Operator.Allocation;
using BuildKitController.Operator.Api;
using BuildKitController.Testing;

namespace BuildKitController.Operator.Tests.Api;

/// <summary>The OpenAPI document of the allocation API (<c>docs/api/openapi.yaml</c>) against the routes and the JSON records.</summary>
public sealed class OpenApiDocumentTests
{
    /// <summary>
    /// Every operation of the API: the routes of <see cref="AllocationApi"/> (<c>Route</c>), the asynchronous allocation
    /// poll and the document itself. Kept by hand: a route added to the code must be added here and to the document.
    /// </summary>
    private static readonly (string Method, string Path)[] ExpectedOperations =
    [
        ("POST", "/api/v1/workers/allocate"),
        ("POST", "/api/v1/workers/release"),
        ("POST", "/api/v1/workers/renew"),
        ("POST", "/api/v1/workers/lookup"),
        ("GET", "/api/v1/pools"),
        ("GET", "/api/v1/pools/{name}"),
        ("POST", "/api/v1/pools/{name}/wake"),
        ("POST", "/api/v1/certs/request"),
        ("POST", "/api/v1/allocate"),
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/allocations/{id}"),
        ("POST", "/api/v1/allocations/{id}"),
        ("GET", "/api/v1/openapi.yaml"),
    ];

    private static readonly (string Method, string Path)[] Anonymous =
    [
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/openapi.yaml"),
    ];

    private static readonly string[] OperationKeys = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static readonly Lazy<JsonObject> Loaded = new(() =>
        YamlJson.ParseSingle(RepositoryFiles.ReadAllText("docs", "api", "openapi.yaml")).AsObject());

    private static JsonObject Document => Loaded.Value;

    [Fact]
    public void Is_an_OpenAPI_3_1_document_with_a_title_and_version()
    {
        Assert.Matches(@"^3\.1\.\d+$", Document["openapi"]!.GetValue<string>());
        var info = Document["info"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(info["title"]?.GetValue<string>()));
        Assert.Matches(@"^\d+\.\d+\.\d+", info["version"]!.GetValue<string>());
    }

    [Fact]
    public void Describes_exactly_the_operations_of_the_API()
    {
        var described = Operations().Select(o => (o.Method, o.Path)).Order().ToList();

        Assert.Equal(ExpectedOperations.Order().ToList(), described);
        Assert.All(Operations(), o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["operationId"]?.GetValue<string>()), $"{o.Method} {o.Path} has no operationId"));
        Assert.Equal(described.Count, Operations().Select(o => o.Operation["operationId"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_operation_but_health_and_the_document_requires_a_bearer_token()
    {
        var schemes = Document["components"]!["securitySchemes"]!.AsObject();
        bool IsBearer(string name) =>
            schemes[name] is JsonObject scheme
            && scheme["type"]?.GetValue<string>() == "http"
            && string.Equals(scheme["scheme"]?.GetValue<string>(), "bearer", StringComparison.OrdinalIgnoreCase);

        foreach (var (method, path, operation) in Operations())
        {
            var requirements = (operation["security"] ?? Document["security"])?.AsArray() ?? [];
            if (Anonymous.Contains((method, path)))
            {
                // Explicitly open: an empty list, not an inherited requirement.
                Assert.True(operation["security"] is JsonArray own && own.All(r => r!.AsObject().Count == 0), $"{method} {path} must declare security: []");
                continue;
            }

            Assert.True(requirements.Count > 0, $"{method} {path} has no security requirement");
            Assert.All(requirements, r =>
            {
                var names = r!.AsObject().Select(p => p.Key).ToList();
                Assert.True(names.Any(IsBearer), $"{method} {path} accepts a requirement without a bearer scheme: [{string.Join(", ", names)}]");
            });
            Assert.True(operation["responses"]?["401"] is not null, $"{method} {path} must describe 401");
        }
    }

    [Fact]
    public void Every_reference_resolves_and_every_response_has_a_schema()
    {
        var references = new List<string>();
        CollectReferences(Document, references);
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(Resolve(r) is not null, $"$ref {r} does not resolve"));

        foreach (var (method, path, operation) in Operations())
        {
            var responses = operation["responses"]!.AsObject();
            Assert.Contains(responses, r => r.Key.StartsWith('2'));
            foreach (var (status, value) in responses)
            {
                var response = Dereference(value!);
                var content = response["content"]?.AsObject();
                Assert.True(content is { Count: > 0 }, $"{method} {path} {status} has no content");
                foreach (var (mediaType, media) in content!)
                {
                    var schema = media!["schema"];
                    Assert.True(schema is not null, $"{method} {path} {status} {mediaType} has no schema");
                    if (schema!["$ref"] is { } reference)
                    {
                        Assert.True(Resolve(reference.GetValue<string>()) is JsonObject, $"{method} {path} {status}: {reference} does not resolve");
                    }
                    else
                    {
                        Assert.True(schema["type"] is not null, $"{method} {path} {status} {mediaType}: an inline schema without a type");
                    }
                }

                Assert.True(response["headers"]?["X-Request-Id"] is not null, $"{method} {path} {status} does not declare X-Request-Id");
            }
        }
    }

    [Fact]
    public void Every_error_answer_is_the_common_error_body_and_every_503_has_Retry_After()
    {
        var errors = 0;
        foreach (var (method, path, operation) in Operations())
        {
            foreach (var (status, value) in operation["responses"]!.AsObject())
            {
                if (status[0] is not ('4' or '5'))
                {
                    continue;
                }

                errors++;
                var response = Dereference(value!);
                var content = response["content"]!.AsObject();
                Assert.Equal(["application/json"], content.Select(c => c.Key));
                Assert.Equal("#/components/schemas/ErrorResponse", content["application/json"]!["schema"]!["$ref"]?.GetValue<string>());
                if (status == "503")
                {
                    Assert.True(response["headers"]?["Retry-After"] is not null, $"{method} {path} 503 does not declare Retry-After");
                }
            }
        }

        Assert.True(errors > 30, $"only {errors} error answers are described");
        var error = Dereference(Document["components"]!["schemas"]!["ErrorResponse"]!);
        Assert.Equal(["error"], PropertyNames(error));
        var body = Dereference(error["properties"]!["error"]!);
        Assert.Equal(["code", "message", "requestId"], PropertyNames(body));
        Assert.Equal(["code", "message", "requestId"], Names(body["required"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Error_codes_are_those_of_the_API_docs_and_the_allocation_service()
    {
        var documented = Names(Document["components"]!["schemas"]!["ErrorCode"]!["enum"]).ToHashSet(StringComparer.Ordinal);
        var markdown = RepositoryFiles.ReadAllText("docs", "api.md");
        var paragraph = markdown[markdown.IndexOf("Error codes:", StringComparison.Ordinal)..];
        paragraph = paragraph[..paragraph.IndexOf("\n\n", StringComparison.Ordinal)];
        var listed = Regex.Matches(paragraph, "`([a-z_]+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var service = typeof(AllocationErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.True(listed.Count > 10, "docs/api.md lists no error codes");
        Assert.Equal(listed.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.NotEmpty(service);
        Assert.All(service, code => Assert.Contains(code, documented));
    }

    [Fact]
    public void AllocateResponse_has_the_json_names_of_the_record()
    {
        var expected = ApiJsonContext.Default.AllocateResponse.Properties.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var schema = Dereference(Document["components"]!["schemas"]!["AllocateResponse"]!);

        Assert.Equal(10, expected.Count);
        Assert.Equal(expected, PropertyNames(schema).Order(StringComparer.Ordinal));
        Assert.Equal(expected, Names(schema["required"]).Order(StringComparer.Ordinal));
        Assert.Equal("date-time", schema["properties"]!["expiresAt"]!["format"]?.GetValue<string>());
        Assert.Equal("base64", Dereference(schema["properties"]!["clientKey"]!)["contentEncoding"]?.GetValue<string>());
    }

    [Fact]
    public void Asynchronous_allocation_answers_202_with_a_location_and_the_poll_answers_the_allocation()
    {
        var allocate = Operation("post", "/api/v1/workers/allocate");
        var wait = Dereference(Document["components"]!["schemas"]!["AllocateRequest"]!)["properties"]!["wait"]!;
        Assert.Equal("boolean", wait["type"]!.GetValue<string>());
        Assert.True(wait["default"]!.GetValue<bool>());

        var accepted = Dereference(allocate["responses"]!["202"]!);
        Assert.NotNull(accepted["headers"]!["Location"]);
        var pending = Dereference(accepted["content"]!["application/json"]!["schema"]!);
        Assert.Equal(["allocationId", "position", "status"], PropertyNames(pending).Order(StringComparer.Ordinal));
        Assert.Equal("pending", pending["properties"]!["status"]!["const"]!.GetValue<string>());
        Assert.Equal(["integer", "null"], Names(pending["properties"]!["position"]!["type"]).Order(StringComparer.Ordinal));

        foreach (var method in new[] { "get", "post" })
        {
            var responses = Operation(method, "/api/v1/allocations/{id}")["responses"]!.AsObject();
            Assert.Equal("#/components/schemas/AllocateResponse", Dereference(responses["200"]!)["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            Assert.Equal("#/components/schemas/AllocationPending", Dereference(responses["202"]!)["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            Assert.All(new[] { "401", "403", "404", "503" }, status => Assert.True(responses.ContainsKey(status), $"{method} poll does not describe {status}"));
        }

        var document = Operation("get", "/api/v1/openapi.yaml");
        Assert.NotNull(Dereference(document["responses"]!["200"]!)["content"]!["application/yaml"]);
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations()
    {
        foreach (var (path, item) in Document["paths"]!.AsObject())
        {
            foreach (var (key, operation) in item!.AsObject())
            {
                if (OperationKeys.Contains(key))
                {
                    yield return (key.ToUpperInvariant(), path, operation!.AsObject());
                }
            }
        }
    }

    private static JsonObject Operation(string method, string path) =>
        Document["paths"]?[path]?[method]?.AsObject() ?? throw new InvalidOperationException($"no {method} {path} in the document");

    private static List<string> PropertyNames(JsonObject schema) =>
        schema["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];

    private static IEnumerable<string> Names(JsonNode? array) =>
        array?.AsArray().Select(n => n!.GetValue<string>()) ?? [];

    private static void CollectReferences(JsonNode? node, List<string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref")
                    {
                        into.Add(value!.GetValue<string>());
                    }
                    else
                    {
                        CollectReferences(value, into);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectReferences(item, into);
                }

                break;
        }
    }

    /// <summary>The node a local <c>$ref</c> (<c>#/a/b</c>, JSON pointer escapes) points to, or null.</summary>
    private static JsonNode? Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = Document;
        foreach (var token in reference[2..].Split('/'))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Follows <c>$ref</c>s (responses, schemas) to the object they name.</summary>
    private static JsonObject Dereference(JsonNode node)
    {
        for (var depth = 0; depth < 10; depth++)
        {
            if (node["$ref"] is not { } reference)
            {
                return node.AsObject();
            }

            node = Resolve(reference.GetValue<string>()) ?? throw new InvalidOperationException($"$ref {reference} does not resolve");
        }

        throw new InvalidOperationException("$ref chain too long");
    }
}
