namespace BuildKitController.Operator.Allocation;

/// <summary>
/// Wakes waiters on the next change. Take <see cref="Next"/> before checking the condition, then await it, so a
/// change between the check and the wait is never lost.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next() => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
