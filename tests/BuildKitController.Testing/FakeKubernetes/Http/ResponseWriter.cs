using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Operations;
using BuildKitController.Testing.FakeKubernetes.Registry;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Writes JSON responses without copying stored objects.</summary>
internal static class ResponseWriter
{
    public const string JsonContentType = "application/json";

    public static Task WriteObjectAsync(HttpContext context, int statusCode, JsonObject obj, RegisteredResource? resource, CancellationToken cancellationToken) =>
        WriteAsync(context, statusCode, writer => WriteObject(writer, obj, resource, stripTypeMeta: false), cancellationToken);

    public static Task WriteObjectAsync(HttpContext context, int statusCode, JsonElement obj, RegisteredResource? resource, CancellationToken cancellationToken) =>
        WriteAsync(context, statusCode, writer => WriteObject(writer, obj, resource, stripTypeMeta: false), cancellationToken);

    public static Task WriteStatusAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteObjectAsync(context, error.Code, error.ToStatus(), null, cancellationToken);
    }

    public static Task WriteListAsync(HttpContext context, RegisteredResource resource, ListPage page, CancellationToken cancellationToken) =>
        WriteAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("kind", resource.ListKind);
            writer.WriteString("apiVersion", resource.Type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", Storage.ObjectStore.FormatVersion(page.ResourceVersion));
            if (page.Continue is not null)
            {
                writer.WriteString("continue", page.Continue);
            }

            if (page.RemainingItemCount is { } remaining)
            {
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                WriteObject(writer, item.Root, resource, stripTypeMeta: !resource.IsCustom);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken);

    /// <summary>Writes an object; custom resources are presented in the requested version, built-in list items without apiVersion/kind.</summary>
    public static void WriteObject(Utf8JsonWriter writer, JsonObject obj, RegisteredResource? resource, bool stripTypeMeta)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                if (stripTypeMeta)
                {
                    continue;
                }

                if (key == "apiVersion" && resource is { IsCustom: true })
                {
                    writer.WriteString(key, resource.Type.ApiVersion);
                    continue;
                }
            }

            writer.WritePropertyName(key);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a stored state the same way as <see cref="WriteObject(Utf8JsonWriter, JsonObject, RegisteredResource?, bool)"/>, straight from its bytes.</summary>
    public static void WriteObject(Utf8JsonWriter writer, JsonElement obj, RegisteredResource? resource, bool stripTypeMeta)
    {
        writer.WriteStartObject();
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals("apiVersion") || property.NameEquals("kind"))
            {
                if (stripTypeMeta)
                {
                    continue;
                }

                if (resource is { IsCustom: true } && property.NameEquals("apiVersion"))
                {
                    writer.WriteString("apiVersion", resource.Type.ApiVersion);
                    continue;
                }
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, FakeJson.WriterOptions))
        {
            write(writer);
        }

        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }
}
