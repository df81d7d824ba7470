using System.Buffers;
using System.Text.Json;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Selectors;
using BuildKitController.Testing.FakeKubernetes.Watch;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Streams watch events as newline-delimited JSON over a chunked 200 response.</summary>
internal sealed class WatchEndpoint(WatchHub hub, TimeProvider time, TimeSpan? defaultTimeout, CancellationToken shutdown)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext context, RegisteredResource resource, string? ns, QueryParameters query,
        LabelSelectorQuery labels, FieldSelectorQuery fields, CancellationToken cancellationToken)
    {
        var timeoutSeconds = query.Long("timeoutSeconds");
        WatchSubscription subscription;
        try
        {
            subscription = hub.Start(resource, ns, labels, fields, query.Get("resourceVersion"),
                query.Bool("allowWatchBookmarks") ?? false, query.Bool("sendInitialEvents") ?? false);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await BeginAsync(context, cancellationToken);
            await WriteEventsAsync(context, [new WatchMessage(WatchMessage.Error, e.ToStatus())], resource, cancellationToken);
            return;
        }

        try
        {
            await BeginAsync(context, cancellationToken);
            var timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : defaultTimeout;
            using var timer = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown, timer.Token, subscription.Dropped);
            try
            {
                var batch = new List<WatchMessage>();
                while (await subscription.Reader.WaitToReadAsync(linked.Token))
                {
                    batch.Clear();
                    while (subscription.Reader.TryRead(out var message))
                    {
                        batch.Add(message);
                    }

                    await WriteEventsAsync(context, batch, resource, linked.Token);
                }
            }
            catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
            {
                context.Abort();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // timeoutSeconds elapsed or the server is stopping: end the stream cleanly.
            }
        }
        finally
        {
            hub.Stop(subscription);
            subscription.Dispose();
        }
    }

    private static async Task BeginAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = 200;
        context.Response.ContentType = ResponseWriter.JsonContentType;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteEventsAsync(HttpContext context, IReadOnlyList<WatchMessage> messages, RegisteredResource resource, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            using (var writer = new Utf8JsonWriter(buffer, FakeJson.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("type", message.Type);
                writer.WritePropertyName("object");
                var presentAs = message.Type == WatchMessage.Error ? null : resource;
                if (message.Stored is { } stored)
                {
                    ResponseWriter.WriteObject(writer, stored.Root, presentAs, stripTypeMeta: false);
                }
                else
                {
                    ResponseWriter.WriteObject(writer, message.Node!, presentAs, stripTypeMeta: false);
                }
                writer.WriteEndObject();
            }

            buffer.Write(NewLine);
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
