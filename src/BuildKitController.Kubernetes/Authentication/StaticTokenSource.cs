namespace BuildKitController.Kubernetes.Authentication;

/// <summary>A fixed bearer token (kubeconfig <c>token</c>).</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public bool CanRefresh => false;

    public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);

    public override string ToString() => "StaticTokenSource(<redacted>)";
}
