using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BuildKitController.Kubernetes.Diagnostics;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Http;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Watching;

namespace BuildKitController.Kubernetes.Client;

/// <summary>
/// Typed operations on one kind. A <c>null</c> namespace means "all namespaces" for list and watch, and is
/// required for cluster-scoped kinds. Writes take the namespace from the object (or the configuration default).
/// </summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesResource<T>
{
    private readonly KubernetesClient _client;

    internal ResourceClient(KubernetesClient client) => _client = client;

    /// <summary>Reads one object; throws <see cref="KubernetesNotFoundException"/> when it does not exist.</summary>
    public async Task<T> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(
            new KubernetesRequest(HttpMethod.Get, ResourcePath.For(T.Resource, ns, name), RequestKind.Read), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one object, or <c>null</c> when it does not exist.</summary>
    public async Task<T?> TryGetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One list call (one page when <see cref="ListOptions.Limit"/> is set).</summary>
    public async Task<KubernetesList<T>> ListAsync(string? ns, ListOptions? options, CancellationToken cancellationToken)
    {
        var path = ResourcePath.For(T.Resource, ns) + (options ?? new ListOptions()).ToQuery();
        using var response = await _client.SendAsync(new KubernetesRequest(HttpMethod.Get, path, RequestKind.Read), cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, T.ListJsonTypeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("the server returned an empty list body");
    }

    /// <summary>
    /// Lists everything, following <c>continue</c> tokens in pages of <paramref name="pageSize"/>. The result carries
    /// the resourceVersion of the first page (the snapshot all pages belong to), from which a watch can start.
    /// If the continue token expires mid-way, the list restarts once without paging, as client-go's pager does.
    /// <paramref name="map"/>, when given, is applied to each page's items as the page arrives, so a caller that keeps
    /// only part of every object (an informer's transform) never holds more than one page of whole objects.
    /// </summary>
    public async Task<KubernetesList<T>> ListAllAsync(string? ns, ListOptions? options, CancellationToken cancellationToken, long pageSize = 500, Func<T, T>? map = null)
    {
        options ??= new ListOptions();
        var items = new List<T>();
        string? snapshotVersion = null;
        var page = options with { Limit = pageSize, Continue = null };
        while (true)
        {
            KubernetesList<T> list;
            try
            {
                list = await ListAsync(ns, page, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesGoneException) when (page.Continue is not null)
            {
                var full = await ListAsync(ns, options with { Limit = null, Continue = null }, cancellationToken).ConfigureAwait(false);
                return map is null ? full : full with { Items = full.Items.ConvertAll(item => map(item)) };
            }

            snapshotVersion ??= list.Metadata.ResourceVersion;
            items.AddRange(map is null ? list.Items : list.Items.Select(map));
            if (string.IsNullOrEmpty(list.Metadata.Continue))
            {
                return new KubernetesList<T>
                {
                    ApiVersion = list.ApiVersion,
                    Kind = list.Kind,
                    Metadata = new ListMeta { ResourceVersion = snapshotVersion },
                    Items = items,
                };
            }

            page = page with { Continue = list.Metadata.Continue, ResourceVersion = null, ResourceVersionMatch = null };
        }
    }

    /// <summary>Creates the object; throws <see cref="KubernetesAlreadyExistsException"/> when the name is taken.</summary>
    public async Task<T> CreateAsync(T value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = ResourcePath.For(T.Resource, NamespaceOf(value));
        return await WriteAsync(HttpMethod.Post, path, RequestKind.Create, Serialize(value), "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the object (PUT). The object's resourceVersion makes it conditional: a stale one throws <see cref="KubernetesConflictException"/>.</summary>
    public Task<T> UpdateAsync(T value, CancellationToken cancellationToken) => ReplaceAsync(value, subresource: null, cancellationToken);

    /// <summary>Replaces the status subresource; only <c>status</c> changes.</summary>
    public Task<T> UpdateStatusAsync(T value, CancellationToken cancellationToken) => ReplaceAsync(value, "status", cancellationToken);

    /// <summary>Patches the object (or a subresource) with any of the four patch formats.</summary>
    public async Task<T> PatchAsync(string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken, string? fieldManager = null, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourcePath.For(T.Resource, ns, name, subresource) + new QueryString().Add("fieldManager", fieldManager);
        var kind = patch.Type == PatchType.Apply ? RequestKind.Apply : RequestKind.Patch;
        return await WriteAsync(HttpMethod.Patch, path, kind, patch.Body, patch.Type.ContentType(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Server-side apply: the object states exactly the fields this manager owns. Fields it applied before and
    /// leaves out now are removed; creates the object when it does not exist.
    /// </summary>
    public Task<T> ApplyAsync(T value, ApplyOptions options, CancellationToken cancellationToken) => ApplyCoreAsync(value, options, null, cancellationToken);

    /// <summary>Server-side apply of the status subresource.</summary>
    public Task<T> ApplyStatusAsync(T value, ApplyOptions options, CancellationToken cancellationToken) => ApplyCoreAsync(value, options, "status", cancellationToken);

    /// <summary>
    /// Deletes the object. With finalizers it stays (with a deletionTimestamp) until they are removed.
    /// Throws <see cref="KubernetesNotFoundException"/> when it does not exist, and <see cref="KubernetesConflictException"/>
    /// when a precondition in <paramref name="options"/> no longer holds.
    /// </summary>
    public async Task DeleteAsync(string? ns, string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        var body = options is null ? (ReadOnlyMemory<byte>?)null : JsonSerializer.SerializeToUtf8Bytes(options, KubernetesModelsJsonContext.Default.DeleteOptions);
        using var response = await _client.SendAsync(
            new KubernetesRequest(HttpMethod.Delete, ResourcePath.For(T.Resource, ns, name), RequestKind.Delete, body, "application/json"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the object if it exists; returns whether it did.</summary>
    public async Task<bool> DeleteIfExistsAsync(string? ns, string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(ns, name, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Streams watch events. With <see cref="WatchOptions.Resume"/> (the default) a stream the server closes or the
    /// network drops is reopened from the last seen resourceVersion (bookmarks included), after a backoff when it
    /// failed. A resourceVersion the server no longer keeps throws <see cref="KubernetesGoneException"/>: relist then.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options ??= new WatchOptions();
        var resourceVersion = options.ResourceVersion;
        var failures = 0;
        while (true)
        {
            var timeout = options.Timeout ?? RandomWatchTimeout();
            var path = ResourcePath.For(T.Resource, ns) + new QueryString()
                .Add("watch", "1")
                .Add("resourceVersion", resourceVersion)
                .Add("labelSelector", options.LabelSelector)
                .Add("fieldSelector", options.FieldSelector)
                .Add("allowWatchBookmarks", options.AllowBookmarks)
                .Add("timeoutSeconds", (long)Math.Ceiling(timeout.TotalSeconds));

            var stream = OpenAndReadAsync(path, timeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
            string? endReason = null;
            try
            {
                while (true)
                {
                    WatchEvent<T> watchEvent;
                    try
                    {
                        if (!await stream.MoveNextAsync().ConfigureAwait(false))
                        {
                            endReason = "closed by the server";
                            failures = 0;
                            break;
                        }

                        watchEvent = stream.Current;
                    }
                    catch (KubernetesGoneException)
                    {
                        KubernetesClientLog.WatchExpired(_client.Logger, path, resourceVersion);
                        throw;
                    }
                    catch (Exception ex) when (options.Resume && IsTransient(ex, cancellationToken))
                    {
                        endReason = ex.GetType().Name;
                        failures++;
                        break;
                    }

                    failures = 0;
                    resourceVersion = watchEvent.ResourceVersion ?? resourceVersion;
                    yield return watchEvent;
                }
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (!options.Resume)
            {
                yield break;
            }

            var delay = failures == 0 ? TimeSpan.Zero : Backoff.Compute(failures - 1, _client.Options.RetryBaseDelay, _client.Options.RetryMaxDelay);
            if (_client.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var bare = path.Split('?')[0];
                KubernetesClientLog.WatchResuming(_client.Logger, bare, endReason ?? "ended", resourceVersion, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async IAsyncEnumerable<WatchEvent<T>> OpenAndReadAsync(string path, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A stream that stays silent past the server timeout (plus a margin) is dead: the server would have
        // closed it or sent a bookmark.
        var inactivity = timeout + _client.Options.WatchInactivityMargin;
        using var inactivityCts = new CancellationTokenSource(inactivity, _client.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, inactivityCts.Token);
        using var response = await _client.SendAsync(new KubernetesRequest(HttpMethod.Get, path, RequestKind.Watch), linked.Token).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
        var events = WatchStreamReader.ReadAsync(body, T.JsonTypeInfo, () => inactivityCts.CancelAfter(inactivity), linked.Token);
        await foreach (var watchEvent in events.ConfigureAwait(false))
        {
            yield return watchEvent;
        }
    }

    private static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        KubernetesServerException or KubernetesTooManyRequestsException => true,
        InvalidDataException or JsonException => true,
        _ => false,
    };

    private TimeSpan RandomWatchTimeout()
    {
        var minimum = _client.Options.MinWatchTimeout;
#pragma warning disable CA5394 // spreading reconnects is not security-relevant
        return minimum + TimeSpan.FromSeconds(Random.Shared.NextDouble() * minimum.TotalSeconds);
#pragma warning restore CA5394
    }

    private async Task<T> ReplaceAsync(T value, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata.Name ?? throw new ArgumentException("metadata.name is required for an update", nameof(value));
        var path = ResourcePath.For(T.Resource, NamespaceOf(value), name, subresource);
        return await WriteAsync(HttpMethod.Put, path, RequestKind.Update, Serialize(value), "application/json", cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ApplyCoreAsync(T value, ApplyOptions options, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var name = value.Metadata.Name ?? throw new ArgumentException("metadata.name is required for server-side apply", nameof(value));
        value.ApiVersion ??= T.Resource.ApiVersion;
        value.Kind ??= T.Resource.Kind;
        var path = ResourcePath.For(T.Resource, NamespaceOf(value), name, subresource)
            + new QueryString().Add("fieldManager", options.FieldManager).Add("force", options.Force);
        return await WriteAsync(HttpMethod.Patch, path, RequestKind.Apply, Serialize(value), PatchType.Apply.ContentType(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync(HttpMethod method, string path, RequestKind kind, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(new KubernetesRequest(method, path, kind, body, contentType), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private string? NamespaceOf(T value) =>
        !T.Resource.Namespaced ? null
        : string.IsNullOrEmpty(value.Metadata.Namespace) ? _client.Configuration.Namespace
        : value.Metadata.Namespace;

    private static byte[] Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, T.JsonTypeInfo);

    private static async Task<T> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, T.JsonTypeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the server returned an empty {T.Resource.Kind} body"));
    }
}
