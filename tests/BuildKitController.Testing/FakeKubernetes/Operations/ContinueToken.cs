using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>The opaque list continuation token, shaped like the real one: base64url of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\0"}</c>.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = lastKey + "\0" };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static (long ResourceVersion, string StartKey) Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)))!.AsObject();
            if ((string?)json["v"] != "meta.k8s.io/v1")
            {
                throw new FormatException("unsupported version");
            }

            var rv = (long)json["rv"]!;
            var start = (string?)json["start"] ?? throw new FormatException("missing start");
            if (rv <= 0)
            {
                throw new FormatException("invalid resource version");
            }

            return (rv, start);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
        {
            throw ApiErrors.BadRequest(string.Create(CultureInfo.InvariantCulture, $"continue key is not valid: {e.Message}"));
        }
    }
}
