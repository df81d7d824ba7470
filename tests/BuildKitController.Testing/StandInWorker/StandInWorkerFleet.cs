using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Testing.StandInWorker;

/// <summary>
/// Stand-in workers for the simulated kubelet: pass <see cref="PodIp"/> as <c>FakeApiServerOptions.PodIp</c> and
/// every pod that starts gets its own loopback address (<c>127.a.b.n</c>, a random /24 per fleet so parallel tests do
/// not meet) with a stand-in worker named after the pod listening on it, before the pod reports Ready. All workers
/// of a fleet share one <see cref="Port"/> (the gateway's <c>--worker-port</c>), as real workers share 1234.
/// </summary>
public sealed class StandInWorkerFleet : IAsyncDisposable
{
    private readonly Func<string, (X509Certificate2 Certificate, X509Certificate2Collection Trusted)> _credentials;
    private readonly Socket _reservation;
    private readonly ConcurrentDictionary<string, StandInWorker> _workers = new(StringComparer.Ordinal);
    private readonly byte _a;
    private readonly byte _b;
    private int _next = 1;

    public StandInWorkerFleet(X509Certificate2 serverCertificate, X509Certificate2Collection trustedClientAuthorities)
        : this(_ => (serverCertificate, trustedClientAuthorities))
    {
    }

    /// <summary>
    /// Certificates chosen per pod name when its worker starts: for tests where the controller makes each pool's
    /// worker CA after the fake API server (and so the fleet) exists.
    /// </summary>
    public StandInWorkerFleet(Func<string, (X509Certificate2 Certificate, X509Certificate2Collection Trusted)> credentialsForPod)
    {
        _credentials = credentialsForPod;

        // Reserve the port on .1 of the block; the workers bind .2, .3, … on the same port.
        for (var attempt = 0; ; attempt++)
        {
            _a = (byte)Random.Shared.Next(1, 255);
            _b = (byte)Random.Shared.Next(0, 256);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(Address(1), 0));
                _reservation = socket;
                Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                break;
            }
            catch (SocketException) when (attempt < 10)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>The port every worker of the fleet listens on.</summary>
    public int Port { get; }

    public IReadOnlyCollection<StandInWorker> Workers => [.. _workers.Values];

    /// <summary>The worker started for pod <paramref name="name"/>.</summary>
    public StandInWorker this[string name] => _workers[name];

    /// <summary>The simulated kubelet's pod IP chooser: starts (or reuses) the pod's worker and returns its address.</summary>
    public string PodIp(string ns, string name)
    {
        var worker = _workers.GetOrAdd(name, n =>
        {
            var (certificate, trusted) = _credentials(n);
            return StandInWorker.Start(new StandInWorkerOptions
            {
                Name = n,
                EndPoint = new IPEndPoint(Address(Interlocked.Increment(ref _next)), Port),
                ServerCertificate = certificate,
                TrustedClientAuthorities = trusted,
            });
        });
        return worker.EndPoint.Address.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Values)
        {
            await worker.DisposeAsync();
        }

        _reservation.Dispose();
    }

    private IPAddress Address(int host) =>
        IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"127.{_a}.{_b}.{host}"));
}
