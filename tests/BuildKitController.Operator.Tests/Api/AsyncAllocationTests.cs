using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;

namespace BuildKitController.Operator.Tests.Api;

/// <summary>Asynchronous allocation and several API replicas: state lives in the cluster, so any replica answers.</summary>
public sealed class AsyncAllocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Polls until 200, waiting for a worker change between polls (bounded; no sleeping).</summary>
    private static async Task<JsonNode> PollUntilReadyAsync(ApiHarness h, Uri replica, string id, string token)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var list = await h.Pools.Client.For<BuildKitWorker>().ListAsync("default", null, Ct);
            var (status, body, _) = await h.SendAsync(replica, HttpMethod.Get, $"/api/v1/allocations/{id}", token);
            if (status == 200)
            {
                return body!;
            }

            Assert.Equal(202, status);
            Assert.Equal("pending", body!["status"]!.GetValue<string>());
            using var change = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            change.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var _ in h.Pools.Client.For<BuildKitWorker>().WatchAsync("default", new WatchOptions { ResourceVersion = list.Metadata?.ResourceVersion }, change.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                // No change within the bound: poll again (another replica's cache may have caught up).
            }
        }

        throw new InvalidOperationException($"allocation {id} never became ready");
    }

    [Fact]
    public async Task A_queued_request_returns_an_id_at_once_and_any_replica_hands_out_the_credentials_when_ready()
    {
        await using var h = await ApiHarness.StartAsync();
        await h.Pools.CreatePoolAsync("ci", new BuildKitPoolSpec
        {
            Scaling = new ScalingConfig { Max = 1 },
            Auth = new AuthConfig { Rbac = new RbacConfig { Rules = [new RbacRule { Users = [ApiHarness.User("alice"), ApiHarness.User("bob")], Pools = ["ci"] }] } },
        });
        await h.ReadyAsync("ci");
        var replicaB = await h.StartSecondReplicaAsync();

        // Bob holds the only worker.
        var bob = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "bob-token", """{"poolName":"ci"}""");
        Assert.Equal(200, bob.Status);

        // Alice queues without waiting.
        var (status, body, response) = await h.SendAsync(HttpMethod.Post, "/api/v1/workers/allocate", "alice-token", """{"poolName":"ci","wait":false,"jobId":"async-1"}""");
        Assert.Equal(202, status);
        var id = body!["allocationId"]!.GetValue<string>();
        Assert.Equal($"/api/v1/allocations/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(0, body["position"]!.GetValue<int>());
        var poll = await h.SendAsync(HttpMethod.Get, $"/api/v1/allocations/{id}", "alice-token");
        Assert.Equal(202, poll.Status);
        Assert.Equal(0, poll.Body!["position"]!.GetValue<int>());
        Assert.Equal(403, (await h.SendAsync(HttpMethod.Get, $"/api/v1/allocations/{id}", "bob-token")).Status);
        Assert.Equal(404, (await h.SendAsync(HttpMethod.Get, "/api/v1/allocations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "alice-token")).Status);

        // Bob releases through the other replica (allocation state is in the cluster, not in a replica's memory).
        Assert.Equal(200, (await h.SendAsync(replicaB, HttpMethod.Post, "/api/v1/workers/release", "bob-token", $$"""{"token":"{{bob.Body!["token"]!.GetValue<string>()}}"}""")).Status);

        // Alice's credentials come from whichever replica she polls; each poll re-keys, so only the last credentials hold.
        var ready = await PollUntilReadyAsync(h, replicaB, id, "alice-token");
        var token = ready["token"]!.GetValue<string>();
        var worker = await h.Pools.Client.For<BuildKitWorker>().GetAsync("default", ready["workerName"]!.GetValue<string>(), Ct);
        Assert.Equal(Core.Allocation.AllocationToken.Hash(token), worker.Spec.Allocation!.TokenHash);
        Assert.Equal(ApiHarness.User("alice"), worker.Spec.Allocation.RequestedBy);
        Assert.Equal("async-1", worker.Spec.Allocation.JobId);
        var again = await h.SendAsync(replicaB, HttpMethod.Get, $"/api/v1/allocations/{id}", "alice-token");
        Assert.Equal(200, again.Status);
        Assert.NotEqual(token, again.Body!["token"]!.GetValue<string>());
        await h.Pools.WaitForAsync<BuildKitWorker>("default", worker.Metadata.Name!, w => w?.Spec.Allocation?.TokenHash == Core.Allocation.AllocationToken.Hash(again.Body["token"]!.GetValue<string>()));
        Assert.Equal(404, (await h.SendAsync(HttpMethod.Post, "/api/v1/workers/renew", "alice-token", $$"""{"token":"{{token}}"}""")).Status);
        Assert.Equal(200, (await h.SendAsync(replicaB, HttpMethod.Post, "/api/v1/workers/release", "alice-token", $$"""{"token":"{{again.Body["token"]!.GetValue<string>()}}"}""")).Status);
    }
}
