using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

public sealed class BuildKitWorkerValidatorTests
{
    [Fact]
    public void A_worker_allocated_by_the_controller_is_valid()
    {
        var worker = Worker("""
            {"spec":{"poolRef":{"name":"ci"},"allocation":{"jobId":"j-1","tokenHash":"sha256:00","allocatedAt":"2025-01-01T00:00:00Z","expiresAt":"2025-01-01T01:00:00Z"}},
             "status":{"phase":"Allocated","activeConnections":3,"allocationCount":1}}
            """);

        Assert.Empty(BuildKitWorkerValidator.Validate(worker));
    }

    [Theory]
    [InlineData("""{"spec":{"poolRef":{"name":""}}}""", "spec.poolRef.name")]
    [InlineData("""{"spec":{"poolRef":{"name":"Pool"}}}""", "spec.poolRef.name")]
    [InlineData("""{"spec":{"poolRef":{"name":"p","namespace":"Bad_NS"}}}""", "spec.poolRef.namespace")]
    [InlineData("""{"spec":{"poolRef":{"name":"p"},"allocation":{"jobId":"","allocatedAt":"2025-01-01T00:00:00Z"}}}""", "spec.allocation.jobId")]
    [InlineData("""{"spec":{"poolRef":{"name":"p"},"allocation":{"jobId":"j"}}}""", "spec.allocation.allocatedAt")]
    [InlineData("""{"spec":{"poolRef":{"name":"p"},"allocation":{"jobId":"j","allocatedAt":"2025-01-01T01:00:00Z","expiresAt":"2025-01-01T00:00:00Z"}}}""", "spec.allocation.expiresAt")]
    [InlineData("""{"spec":{"poolRef":{"name":"p"}},"status":{"phase":"Sleeping"}}""", "status.phase")]
    [InlineData("""{"spec":{"poolRef":{"name":"p"}},"status":{"activeConnections":-1}}""", "status.activeConnections")]
    public void Invalid_fields_are_reported(string json, string path)
    {
        Assert.Contains(BuildKitWorkerValidator.Validate(Worker(json)), e => e.Path == path);
    }

    [Fact]
    public void An_empty_phase_means_a_new_worker_and_is_valid()
    {
        Assert.Empty(BuildKitWorkerValidator.Validate(Worker("""{"spec":{"poolRef":{"name":"p"}},"status":{"phase":""}}""")));
    }

    private static Core.Api.V1Alpha1.BuildKitWorker Worker(string json) => JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitWorker)!;
}
