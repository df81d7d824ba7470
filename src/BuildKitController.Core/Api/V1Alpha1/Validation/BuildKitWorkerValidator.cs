namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>Validates workers: pool reference, allocation and status values. Pure; never throws for bad input.</summary>
public static class BuildKitWorkerValidator
{
    public static IReadOnlyList<FieldError> Validate(BuildKitWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var errors = new FieldErrors();
        var spec = worker.Spec;
        errors.Required("spec.poolRef.name", spec.PoolRef.Name);
        errors.Label("spec.poolRef.name", spec.PoolRef.Name);
        errors.Label("spec.poolRef.namespace", spec.PoolRef.Namespace);
        if (spec.Allocation is { } allocation)
        {
            errors.Required("spec.allocation.jobId", allocation.JobId);
            if (allocation.AllocatedAt is null)
            {
                errors.Add("spec.allocation.allocatedAt", "is required");
            }
            else if (allocation.ExpiresAt is { } expiresAt && expiresAt <= allocation.AllocatedAt)
            {
                errors.Add("spec.allocation.expiresAt", "must be after allocatedAt");
            }
        }

        if (worker.Status is { } status)
        {
            if (!string.IsNullOrEmpty(status.Phase))
            {
                errors.Enum("status.phase", status.Phase, WorkerPhases.All);
            }

            errors.Range("status.allocationCount", status.AllocationCount, 0, int.MaxValue);
            errors.Range("status.activeConnections", status.ActiveConnections, 0, int.MaxValue);
        }

        return errors.Errors;
    }
}
