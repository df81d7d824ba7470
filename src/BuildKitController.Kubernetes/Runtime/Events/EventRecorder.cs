using System.Globalization;
using System.Threading.Channels;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Kubernetes.Runtime.Events;

/// <summary>
/// Records core/v1 Events about objects, off the caller's path: <see cref="Record"/> only enqueues (bounded; drops
/// and logs when full), <see cref="RunAsync"/> writes. A repeat of the same event on the same object within the
/// aggregation window bumps <c>count</c> and <c>lastTimestamp</c> instead of creating a new Event, as kubectl shows.
/// </summary>
public sealed class EventRecorder
{
    private const int MaxRemembered = 4096;
    private static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    private readonly KubernetesClient _client;
    private readonly string _component;
    private readonly string _instance;
    private readonly ILogger _logger;
    private readonly Channel<PendingEvent> _channel = Channel.CreateBounded<PendingEvent>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Dictionary<EventKey, RecordedEvent> _recent = [];

    public EventRecorder(KubernetesClient client, string component, string instance, ILogger? logger = null)
    {
        _client = client;
        _component = component;
        _instance = instance;
        _logger = logger ?? NullLogger.Instance;
    }

    public void Normal(IKubernetesObject about, string reason, string message) => Record(about, "Normal", reason, message);

    public void Warning(IKubernetesObject about, string reason, string message) => Record(about, "Warning", reason, message);

    /// <summary>Queues an event; never blocks and never throws for a full queue.</summary>
    public void Record(IKubernetesObject about, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(about);
        var pending = new PendingEvent(
            new ObjectReference
            {
                ApiVersion = about.ApiVersion,
                Kind = about.Kind,
                Namespace = about.Metadata.Namespace,
                Name = about.Metadata.Name,
                Uid = about.Metadata.Uid,
                ResourceVersion = about.Metadata.ResourceVersion,
            },
            type,
            reason,
            message.Length > 1024 ? message[..1024] : message);
        if (!_channel.Writer.TryWrite(pending))
        {
            RuntimeLog.EventDropped(_logger, reason, pending.Describe());
        }
    }

    /// <summary>Writes queued events until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pending in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; queued events are dropped.
        }
    }

    private async Task WriteAsync(PendingEvent pending, CancellationToken cancellationToken)
    {
        var now = _client.TimeProvider.GetUtcNow();
        var key = new EventKey(pending.About.Uid ?? pending.Describe(), pending.Type, pending.Reason, pending.Message);
        var events = _client.For<Event>();
        var ns = string.IsNullOrEmpty(pending.About.Namespace) ? "default" : pending.About.Namespace;
        try
        {
            if (_recent.TryGetValue(key, out var seen) && now - seen.LastSeen < AggregationWindow)
            {
                var count = seen.Count + 1;
                var patch = KubernetesPatch.Merge(string.Create(
                    CultureInfo.InvariantCulture,
                    $$"""{"count":{{count}},"lastTimestamp":"{{Models.Serialization.Rfc3339TimeConverter.Format(now)}}"}"""));
                await events.PatchAsync(ns, seen.Name, patch, cancellationToken).ConfigureAwait(false);
                _recent[key] = seen with { Count = count, LastSeen = now };
                return;
            }

            var created = await events.CreateAsync(
                new Event
                {
                    Metadata = new ObjectMeta
                    {
                        Name = string.Create(CultureInfo.InvariantCulture, $"{pending.About.Name}.{now.ToUnixTimeMilliseconds() * 1_000_000:x}{Random.Shared.Next(0x1000):x3}"),
                        Namespace = ns,
                    },
                    InvolvedObject = pending.About,
                    Type = pending.Type,
                    Reason = pending.Reason,
                    Message = pending.Message,
                    Count = 1,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Source = new EventSource { Component = _component },
                    ReportingComponent = _component,
                    ReportingInstance = _instance,
                },
                cancellationToken).ConfigureAwait(false);
            Remember(key, new RecordedEvent(created.Metadata.Name!, 1, now));
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException)
        {
            // An event that cannot be written (a deleted namespace, a stale aggregate) is not worth a retry storm.
            _recent.Remove(key);
            RuntimeLog.EventRecordFailed(_logger, ex, pending.Reason, pending.Describe());
        }
    }

    private void Remember(EventKey key, RecordedEvent recorded)
    {
        if (_recent.Count >= MaxRemembered)
        {
            var cutoff = recorded.LastSeen - AggregationWindow;
            foreach (var stale in _recent.Where(e => e.Value.LastSeen < cutoff).Select(e => e.Key).ToList())
            {
                _recent.Remove(stale);
            }

            if (_recent.Count >= MaxRemembered)
            {
                _recent.Clear();
            }
        }

        _recent[key] = recorded;
    }

    private sealed record PendingEvent(ObjectReference About, string Type, string Reason, string Message)
    {
        public string Describe() => $"{About.Kind} {About.Namespace}/{About.Name}";
    }

    private readonly record struct EventKey(string Object, string Type, string Reason, string Message);

    private sealed record RecordedEvent(string Name, int Count, DateTimeOffset LastSeen);
}
