using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Bench;

/// <summary>
/// How far the pools are, read straight from the fake API server's store (no HTTP, nothing in the request log):
/// a pool has converged when <c>status.workers.idle</c> and <c>status.workers.total</c> equal the wanted size and
/// its <c>Ready</c> condition is <c>True</c>.
/// </summary>
internal readonly record struct PoolProgress(int Pools, int Ready, int Converged, long IdleWorkers, long TotalWorkers)
{
    public static PoolProgress Read(FakeApiServer server, int workersPerPool)
    {
        int pools = 0, ready = 0, converged = 0;
        long idle = 0, total = 0;
        foreach (var pool in server.List(BuildKitPool.Resource))
        {
            pools++;
            var status = pool["status"] as JsonObject;
            var poolIdle = Int(status?["workers"]?["idle"]);
            var poolTotal = Int(status?["workers"]?["total"]);
            idle += poolIdle;
            total += poolTotal;
            var isReady = (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
                .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;
            if (isReady)
            {
                ready++;
            }

            if (isReady && poolIdle == workersPerPool && poolTotal == workersPerPool)
            {
                converged++;
            }
        }

        return new PoolProgress(pools, ready, converged, idle, total);
    }

    private static long Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0;
}
