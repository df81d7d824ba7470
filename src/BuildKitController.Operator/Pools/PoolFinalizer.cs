namespace BuildKitController.Operator.Pools;

/// <summary>The pool finalizer: deleting a pool removes its workers (also those the API created without an owner reference) and every owned object, with or without a garbage collector.</summary>
internal static class PoolFinalizer
{
    public const string Name = "buildkit.smrt-devops.net/pool-finalizer";
}
