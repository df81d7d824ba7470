using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Http;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>
/// Keeps an <see cref="ObjectCache{T}"/> in step with the API server: list (paged), then watch from the list's
/// resourceVersion with bookmarks; a watch the server can no longer resume (410) triggers an immediate relist
/// whose differences are delivered as add/update/delete; other failures back off and relist. Handlers see every
/// change once, in order, and optionally a periodic resync. Objects are trimmed before they are cached
/// (<c>managedFields</c> unless <see cref="InformerOptions.KeepManagedFields"/>, repetitive metadata strings shared
/// through <see cref="StringPool.Shared"/>, then the optional transform), so a large cache holds only what its readers
/// use, once.
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesResource<T>
{
    private readonly KubernetesClient _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly Func<T, T>? _transform;
    private readonly Lock _dispatchLock = new();
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _lastResourceVersion;
    private int _relists;

    private static string ResourceName { get; } = T.Resource.ToString();

    /// <param name="client">The client to list and watch with.</param>
    /// <param name="options">What to watch.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="transform">
    /// Trims each freshly decoded object before it is cached (it may change and return its argument). Readers of the
    /// cache then see only what it keeps, so an object trimmed this way must never be written back whole.
    /// </param>
    public Informer(KubernetesClient client, InformerOptions? options = null, ILogger? logger = null, Func<T, T>? transform = null)
    {
        _client = client;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger.Instance;
        _transform = transform;
    }

    public ObjectCache<T> Cache { get; } = new();

    /// <summary>True once the first list has been stored.</summary>
    public bool HasSynced => _synced.Task.IsCompletedSuccessfully;

    /// <summary>How many times the informer listed (1 after start; more after 410s or failures).</summary>
    public int ListCount => Volatile.Read(ref _relists);

    public string? LastResourceVersion => Volatile.Read(ref _lastResourceVersion);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Adds a handler. Added after the first sync, it is first told of every cached object as an add.</summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatchLock)
        {
            _handlers.Add(handler);
            foreach (var item in Cache.List())
            {
                handler.OnAdd(item);
            }
        }
    }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = StartResync(cancellationToken);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListAndWatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesGoneException)
            {
                RuntimeLog.InformerRelisting(_logger, ResourceName, LastResourceVersion);
                failures = 0;
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var delay = Backoff.Compute(failures++, _options.InitialBackoff, _options.MaxBackoff);
                RuntimeLog.InformerFailed(_logger, ex, ResourceName, delay);
                try
                {
                    await Task.Delay(delay, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var resources = _client.For<T>();
        var list = await resources.ListAllAsync(
            _options.Namespace,
            new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector },
            cancellationToken,
            _options.PageSize,
            Trim).ConfigureAwait(false);
        Interlocked.Increment(ref _relists);
        Replace(list.Items);
        Volatile.Write(ref _lastResourceVersion, list.Metadata.ResourceVersion);
        _synced.TrySetResult();

        var watchOptions = new WatchOptions
        {
            ResourceVersion = list.Metadata.ResourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            AllowBookmarks = true,
            Resume = true,
            Timeout = _options.WatchTimeout,
        };

        await foreach (var watchEvent in resources.WatchAsync(_options.Namespace, watchOptions, cancellationToken).ConfigureAwait(false))
        {
            Apply(watchEvent.Type, Trim(watchEvent.Object));
            if (watchEvent.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _lastResourceVersion, version);
            }
        }
    }

    private T Trim(T value)
    {
        if (!_options.KeepManagedFields && value.Metadata.ExtensionData is { } extra && extra.Remove("managedFields") && extra.Count == 0)
        {
            value.Metadata.ExtensionData = null;
        }

        if (!_options.KeepOwnStrings)
        {
            MetadataStrings.Share(value, StringPool.Shared);
        }

        return _transform is null ? value : _transform(value);
    }

    private void Apply(WatchEventType type, T value)
    {
        lock (_dispatchLock)
        {
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    var previous = Cache.Upsert(value);
                    foreach (var handler in _handlers)
                    {
                        if (previous is null)
                        {
                            handler.OnAdd(value);
                        }
                        else
                        {
                            handler.OnUpdate(previous, value);
                        }
                    }

                    break;
                case WatchEventType.Deleted:
                    var removed = Cache.Remove(ObjectKey.Of(value));
                    foreach (var handler in _handlers)
                    {
                        handler.OnDelete(removed ?? value);
                    }

                    break;
            }
        }
    }

    /// <summary>Stores a fresh list: new objects are adds, changed ones updates, vanished ones deletes.</summary>
    private void Replace(IReadOnlyList<T> items)
    {
        lock (_dispatchLock)
        {
            var seen = new HashSet<ObjectKey>();
            foreach (var item in items)
            {
                seen.Add(ObjectKey.Of(item));
                var previous = Cache.Get(ObjectKey.Of(item));
                if (previous is not null && previous.Metadata.ResourceVersion == item.Metadata.ResourceVersion)
                {
                    continue;
                }

                Apply(WatchEventType.Modified, item);
            }

            foreach (var key in Cache.Keys())
            {
                if (!seen.Contains(key) && Cache.Get(key) is { } gone)
                {
                    Apply(WatchEventType.Deleted, gone);
                }
            }
        }
    }

    private ITimer? StartResync(CancellationToken cancellationToken)
    {
        if (_options.ResyncPeriod is not { } period || period <= TimeSpan.Zero)
        {
            return null;
        }

        return _client.TimeProvider.CreateTimer(
            _ =>
            {
                if (cancellationToken.IsCancellationRequested || !HasSynced)
                {
                    return;
                }

                lock (_dispatchLock)
                {
                    foreach (var item in Cache.List())
                    {
                        foreach (var handler in _handlers)
                        {
                            handler.OnUpdate(item, item);
                        }
                    }
                }
            },
            null,
            period,
            period);
    }
}
