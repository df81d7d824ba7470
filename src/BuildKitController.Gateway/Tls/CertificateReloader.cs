using System.Security.Cryptography.X509Certificates;
using BuildKitController.Gateway.Diagnostics;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// Keeps the TLS material of one mounted Secret current without a restart: the directory is read every
/// <c>interval</c> (Kubernetes replaces a Secret volume's files by swapping the <c>..data</c> symlink, which
/// inotify reports unreliably through the symlinks, so polling a few small files is the dependable way), and when
/// the bytes change the new set is parsed and swapped in atomically. New connections use the new material; open
/// ones keep theirs. A set that fails to load keeps the previous one.
/// </summary>
internal sealed class CertificateReloader<T> : IDisposable
    where T : class
{
    private readonly string _bundle;
    private readonly string _directory;
    private readonly IReadOnlyList<string> _names;
    private readonly Func<PemFiles, T> _load;
    private readonly Func<T, X509Certificate2> _certificateOf;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private string? _fingerprint;
    private T? _current;
    private int _loads;

    public CertificateReloader(string bundle, string directory, IReadOnlyList<string> names, Func<PemFiles, T> load, Func<T, X509Certificate2> certificateOf,
        TimeSpan interval, TimeProvider time, GatewayMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        _bundle = bundle;
        _directory = directory;
        _names = names;
        _load = load;
        _certificateOf = certificateOf;
        _metrics = metrics;
        _logger = logger;
        Check();
        _timer = time.CreateTimer(_ => Check(), null, interval, interval);
    }

    /// <summary>The material in use, or null while none could be loaded.</summary>
    public T? Current => Volatile.Read(ref _current);

    /// <summary>How many times a new version was loaded.</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Reads the directory and loads it when its bytes changed; returns whether new material is in use.</summary>
    public bool Check()
    {
        lock (_lock)
        {
            PemFiles files;
            try
            {
                files = PemFiles.Read(_directory, _names);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                GatewayLog.CertificatesFailed(_logger, _bundle, _directory, ex.Message);
                return false;
            }

            if (files.Fingerprint == _fingerprint)
            {
                return false;
            }

            try
            {
                var material = _load(files);
                var certificate = _certificateOf(material);
                Volatile.Write(ref _current, material);
                _fingerprint = files.Fingerprint;
                Interlocked.Increment(ref _loads);
                _metrics.Reload(_bundle, success: true);
                GatewayLog.CertificatesLoaded(_logger, _bundle, certificate.Subject, certificate.SerialNumber,
                    new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), _directory);
                return true;
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                // Not remembered as seen: a torn read during a symlink swap loads on the next check.
                _metrics.Reload(_bundle, success: false);
                GatewayLog.CertificatesFailed(_logger, _bundle, _directory, ex.Message);
                return false;
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
