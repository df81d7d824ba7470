namespace BuildKitController.Kubernetes.Authentication;

/// <summary>
/// A token read from a file (kubeconfig <c>tokenFile</c>, the projected service-account token). The file is
/// re-read when its modification time changes, at least once a minute, and whenever the server rejects the token,
/// so kubelet rotation is picked up without a restart.
/// </summary>
public sealed class FileTokenSource(string path, TimeProvider timeProvider) : ITokenSource
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private string? _token;
    private DateTime _lastWriteUtc;
    private DateTimeOffset _readAt;

    public string Path => path;

    public bool CanRefresh => true;

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is not null && !forceRefresh && !IsStale())
        {
            return token;
        }

        // Concurrent refreshes may both read the file; they read the same content, so no lock is needed.
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            _lastWriteUtc = File.GetLastWriteTimeUtc(path);
            _readAt = timeProvider.GetUtcNow();
            token = text.Trim();
            Volatile.Write(ref _token, token);
            return token;
        }
        catch (IOException ex)
        {
            // Keep serving the last good token while the kubelet swaps the file; fail only if we never had one.
            return Volatile.Read(ref _token) ?? throw new InvalidOperationException($"cannot read token file {path}: {ex.Message}", ex);
        }
    }

    private bool IsStale()
    {
        if (timeProvider.GetUtcNow() - _readAt >= MaxAge)
        {
            return true;
        }

        try
        {
            return File.GetLastWriteTimeUtc(path) != _lastWriteUtc;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public override string ToString() => $"FileTokenSource({path})";
}
