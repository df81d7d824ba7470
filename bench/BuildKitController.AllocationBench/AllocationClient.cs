using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BuildKitController.Bench;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;

namespace BuildKitController.AllocationBench;

/// <summary>
/// CI callers of the allocation API: each caller name is a ServiceAccount token the fake API server's TokenReview
/// accepts. A call that times out first prints what the pool and the controller looked like, then fails the run.
/// </summary>
internal sealed class AllocationClient(Uri api, KubernetesClient cluster, ControllerProcess controller, string pool, string poolNamespace) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Allocates a worker; its token, or null when the API refused.</summary>
    public async Task<string?> AllocateAsync(string caller, CancellationToken cancellationToken)
    {
        using var request = Request("/api/v1/workers/allocate", caller, $$"""{"poolName":"{{pool}}","namespace":"{{poolNamespace}}","ttl":"1h"}""");
        using var response = await SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("token").GetString();
    }

    public async Task ReleaseAsync(string caller, string token, CancellationToken cancellationToken)
    {
        using var request = Request("/api/v1/workers/release", caller, $$"""{"token":"{{token}}"}""");
        using var response = await SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Request(string path, string caller, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"{request.RequestUri} timed out: {await PoolProgress.DescribeAsync(cluster, poolNamespace, pool, cancellationToken)}");
            if (await controller.ScrapeAsync(cancellationToken) is { } metrics)
            {
                foreach (var sample in metrics.Samples.Where(m => m.Name is "workqueue_depth" or "buildkit_allocation_queue_length" || m.Name.StartsWith("dotnet_thread_pool", StringComparison.Ordinal)))
                {
                    await Console.Error.WriteLineAsync($"  {sample.Name}{{{string.Join(",", sample.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {sample.Value}");
                }
            }

            throw;
        }
    }
}

/// <summary>One line on a pool's workers, for progress and diagnostics.</summary>
internal static class PoolProgress
{
    public static async Task<string> DescribeAsync(KubernetesClient cluster, string poolNamespace, string pool, CancellationToken cancellationToken)
    {
        var status = (await cluster.For<BuildKitPool>().GetAsync(poolNamespace, pool, cancellationToken)).Status;
        var workers = (await cluster.For<BuildKitWorker>().ListAsync(poolNamespace, null, cancellationToken)).Items;
        return $"{status?.Workers?.Idle} idle of {workers.Count} workers ({workers.Count(w => w.Metadata.DeletionTimestamp is not null)} being deleted, "
            + $"{workers.Count(w => w.Spec.Allocation is not null)} allocated, phases {string.Join(", ", workers.GroupBy(w => w.Status?.Phase ?? "-").Select(g => $"{g.Key} {g.Count()}"))})";
    }
}
