namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>A finished reconcile: the key and its outcome (<c>success</c>, <c>requeue</c>, <c>requeue_after</c>, <c>error</c>).</summary>
public sealed record ReconcileCompleted<TKey>(TKey Key, string Outcome);
