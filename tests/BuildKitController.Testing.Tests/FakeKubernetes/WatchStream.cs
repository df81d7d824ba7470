using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>Reads newline-delimited watch events; every read is bounded by a timeout so a missing event fails the test.</summary>
internal sealed class WatchStream(HttpResponseMessage response, Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    public HttpResponseMessage Response => response;

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<WatchEvent?> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var line = await _reader.ReadLineAsync(cts.Token);
        if (line is null)
        {
            return null;
        }

        var json = JsonNode.Parse(line)!.AsObject();
        return new WatchEvent((string)json["type"]!, json["object"]!.AsObject());
    }

    /// <summary>Reads until an event matches; fails after the timeout.</summary>
    public async Task<WatchEvent> NextMatchingAsync(Func<WatchEvent, bool> match)
    {
        while (true)
        {
            var next = await NextAsync() ?? throw new InvalidOperationException("the watch ended before the expected event");
            if (match(next))
            {
                return next;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
    }
}
