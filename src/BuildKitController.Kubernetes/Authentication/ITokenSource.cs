namespace BuildKitController.Kubernetes.Authentication;

/// <summary>Supplies the bearer token for API requests.</summary>
public interface ITokenSource
{
    /// <summary>The current token. <paramref name="forceRefresh"/> asks for a fresh read after the server answered 401.</summary>
    ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);

    /// <summary>Whether a refresh can ever yield a different token (a 401 is then worth one retry).</summary>
    bool CanRefresh { get; }
}
