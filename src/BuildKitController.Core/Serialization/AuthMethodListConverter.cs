using System.Text.Json;
using System.Text.Json.Serialization;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Core.Serialization;

/// <summary>
/// <c>spec.auth.methods</c>: entries are objects or bare type names (<c>- mtls</c>, as the upstream README writes
/// them). Bare names are read as <c>{type: name}</c> and written back as bare names. The CRD leaves entries untyped,
/// so any other JSON value may be stored; it is read as a method whose type is the raw JSON text (which validation
/// rejects) instead of making the whole pool unreadable.
/// </summary>
internal sealed class AuthMethodListConverter : JsonConverter<List<AuthMethod>>
{
    public override List<AuthMethod> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("auth.methods must be an array");
        }

        var result = new List<AuthMethod>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    result.Add(new AuthMethod { Type = reader.GetString()!, WrittenAsString = true });
                    break;
                case JsonTokenType.StartObject:
                    result.Add(JsonSerializer.Deserialize(ref reader, CoreJsonContext.Default.AuthMethod)!);
                    break;
                default:
                    using (var other = JsonDocument.ParseValue(ref reader))
                    {
                        result.Add(new AuthMethod { Type = other.RootElement.GetRawText() });
                    }

                    break;
            }
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, List<AuthMethod> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var method in value)
        {
            if (method.IsShorthand)
            {
                writer.WriteStringValue(method.Type);
            }
            else
            {
                JsonSerializer.Serialize(writer, method, CoreJsonContext.Default.AuthMethod);
            }
        }

        writer.WriteEndArray();
    }
}
