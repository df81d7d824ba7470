using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Reads request bodies with the real server's size limit and decodes JSON or YAML.</summary>
internal static class BodyReader
{
    public static async Task<byte[]> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await context.Request.Body.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                while (await context.Request.Body.ReadAsync(chunk, cancellationToken) > 0)
                {
                }

                throw ApiErrors.RequestEntityTooLarge(limit);
            }
        }
    }

    /// <summary>Decodes a body as JSON (or YAML when <paramref name="allowYaml"/>); 400 BadRequest when malformed.</summary>
    public static JsonNode? Decode(byte[] body, bool allowYaml)
    {
        if (body.Length == 0)
        {
            throw ApiErrors.BadRequest("the body of the request was empty");
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: FakeJson.DocumentOptions);
        }
        catch (JsonException jsonError)
        {
            if (!allowYaml)
            {
                throw ApiErrors.BadRequest($"couldn't get version/kind; json parse error: {jsonError.Message}");
            }

            try
            {
                return YamlJson.ParseSingle(Encoding.UTF8.GetString(body));
            }
            catch (Exception yamlError) when (yamlError is YamlDotNet.Core.YamlException or InvalidDataException)
            {
                throw ApiErrors.BadRequest($"error converting YAML to JSON: {yamlError.Message}");
            }
        }
    }

    public static JsonObject DecodeObject(byte[] body, bool allowYaml) =>
        Decode(body, allowYaml) as JsonObject ?? throw ApiErrors.BadRequest("Object 'Kind' is missing in the request body: the body is not a JSON object");
}
