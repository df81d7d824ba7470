using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Watching;

/// <summary>
/// Decodes a watch response body: newline-delimited JSON objects <c>{"type": ..., "object": ...}</c>.
/// An ERROR event becomes the typed exception of its Status (410 → <see cref="KubernetesGoneException"/>).
/// </summary>
internal static class WatchStreamReader
{
    private const int MaxEventBytes = 64 << 20;

    public static async IAsyncEnumerable<WatchEvent<T>> ReadAsync<T>(
        Stream body,
        JsonTypeInfo<T> typeInfo,
        Action onActivity,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                onActivity();
                while (TryReadLine(ref buffer, out var line))
                {
                    if (IsBlank(line))
                    {
                        continue;
                    }

                    yield return Decode(line, typeInfo);
                }

                if (buffer.Length > MaxEventBytes)
                {
                    throw new InvalidDataException($"a watch event exceeded {MaxEventBytes} bytes without a newline");
                }

                if (result.IsCompleted)
                {
                    if (!IsBlank(buffer))
                    {
                        // The last event may lack its newline when the server closes the stream.
                        yield return Decode(buffer, typeInfo);
                    }

                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    internal static WatchEvent<T> Decode<T>(ReadOnlySequence<byte> line, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var typeElement)
            || !root.TryGetProperty("object", out var objectElement))
        {
            throw new InvalidDataException("a watch event lacks 'type' or 'object'");
        }

        var type = typeElement.GetString() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            var other => throw new InvalidDataException($"unknown watch event type '{other}'"),
        };

        if (type == WatchEventType.Error)
        {
            var status = objectElement.Deserialize(KubernetesModelsJsonContext.Default.Status)
                ?? new Status { Code = 500, Message = "watch ERROR event without a Status" };
            throw KubernetesErrors.FromStatus(status);
        }

        var value = objectElement.Deserialize(typeInfo) ?? throw new InvalidDataException("a watch event carried a null object");
        return new WatchEvent<T>(type, value);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> sequence)
    {
        foreach (var segment in sequence)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t' or (byte)'\n'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
