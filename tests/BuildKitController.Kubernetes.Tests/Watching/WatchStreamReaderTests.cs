using System.Text;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Watching;

namespace BuildKitController.Kubernetes.Tests.Watching;

public sealed class WatchStreamReaderTests
{
    private static async Task<List<WatchEvent<ConfigMap>>> ReadAllAsync(string body, int chunkSize = 7)
    {
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(body), chunkSize);
        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in WatchStreamReader.ReadAsync(stream, ConfigMap.JsonTypeInfo, () => { }, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Newline_delimited_events_split_across_reads_are_decoded_in_order()
    {
        var body = """
            {"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5"},"data":{"k":"v"}}}
            {"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"6"}}}

            {"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}
            {"type":"DELETED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"10"}}}
            """;

        var events = await ReadAllAsync(body);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["5", "6", "9", "10"], events.Select(e => e.ResourceVersion));
        Assert.Equal("v", events[0].Object.Data!["k"]);
    }

    [Fact]
    public async Task Error_event_with_410_throws_gone()
    {
        var body = """
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (50)","reason":"Expired","code":410}}

            """;

        var error = await Assert.ThrowsAsync<KubernetesGoneException>(() => ReadAllAsync(body));
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"ADDED\"}\n")]
    [InlineData("{\"type\":\"SURPRISE\",\"object\":{}}\n")]
    [InlineData("not json\n")]
    public async Task Malformed_events_are_reported_not_swallowed(string body)
    {
        var error = await Record.ExceptionAsync(() => ReadAllAsync(body));
        Assert.True(error is InvalidDataException or System.Text.Json.JsonException, $"unexpected {error?.GetType()}");
    }

    /// <summary>A stream that returns at most <c>chunk</c> bytes per read, like a network stream.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
