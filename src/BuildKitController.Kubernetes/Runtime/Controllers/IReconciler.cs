namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>Drives the object named by <typeparamref name="TKey"/> towards its desired state. Must be idempotent and level-triggered.</summary>
public interface IReconciler<in TKey>
{
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}
