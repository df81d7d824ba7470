using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Allocation;

/// <summary>One waiting request.</summary>
internal sealed class AllocationTicket(AllocationRequest request, TimeSpan ttl)
{
    public AllocationRequest Request { get; } = request;

    public TimeSpan Ttl { get; } = ttl;

    public string Token { get; } = AllocationToken.Create();

    public string TokenHash => AllocationToken.Hash(Token);

    public TaskCompletionSource<BuildKitWorker> Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
