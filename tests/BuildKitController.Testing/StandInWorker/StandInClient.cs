using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace BuildKitController.Testing.StandInWorker;

/// <summary>A client (of the gateway, or of a worker directly) speaking the stand-in worker's line protocol over real TLS.</summary>
public sealed class StandInClient : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private StandInClient(Socket socket, SslStream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    public Socket Socket { get; }

    public SslStream Stream { get; }

    /// <summary>Connects and completes the TLS handshake, verifying the gateway against <paramref name="root"/>.</summary>
    public static async Task<StandInClient> ConnectAsync(IPEndPoint endPoint, X509Certificate2? certificate, X509Certificate2 root, CancellationToken cancellationToken,
        IReadOnlyList<string>? protocols = null, bool checkName = true, byte[]? preface = null, SslProtocols tlsVersions = SslProtocols.Tls12 | SslProtocols.Tls13)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint, cancellationToken);
        if (preface is not null)
        {
            await socket.SendAsync(preface, cancellationToken);
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = certificate is null ? null : [certificate],
                EnabledSslProtocols = tlsVersions,
                ApplicationProtocols = [.. (protocols ?? ["h2"]).Select(p => new SslApplicationProtocol(p))],
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, _, _, errors) => (checkName ? errors : errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
            }, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return new StandInClient(socket, stream);
    }

    /// <summary>True when the peer refuses <paramref name="certificate"/> (during or right after the handshake).</summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint endPoint, X509Certificate2? certificate, X509Certificate2 root, CancellationToken cancellationToken, bool checkName = true)
    {
        StandInClient client;
        try
        {
            client = await ConnectAsync(endPoint, certificate, root, cancellationToken, checkName: checkName);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException)
        {
            return true;
        }

        await using (client)
        {
            return await client.IsRefusedAsync(cancellationToken);
        }
    }

    /// <summary>Sends a command and returns the answer line, or null when the gateway closed the connection.</summary>
    public async Task<string?> AskAsync(string command, CancellationToken cancellationToken)
    {
        await SendAsync(command, cancellationToken);
        return await ReadLineAsync(cancellationToken);
    }

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), cancellationToken);
        await Stream.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the gateway refused the connection after the handshake: with TLS 1.3 the client certificate is
    /// checked after the client's handshake completes, so a refusal shows as a closed or reset connection on the
    /// first read.
    /// </summary>
    public async Task<bool> IsRefusedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AskAsync("IDENTITY", cancellationToken) is null;
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException)
        {
            return true;
        }
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var n = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (n == 0)
            {
                return null;
            }

            _end += n;
        }
    }

    /// <summary>Reads until the end of the stream and returns the byte count (buffered bytes included), checking the STREAM pattern.</summary>
    public async Task<long> ReadToEndAsync(CancellationToken cancellationToken, bool checkPattern = true)
    {
        long total = 0;
        for (var i = _start; i < _end; i++, total++)
        {
            if (checkPattern && _buffer[i] != StandInCommands.PatternAt(total))
            {
                throw new InvalidDataException($"byte {total} is wrong");
            }
        }

        _start = _end = 0;
        int n;
        while ((n = await Stream.ReadAsync(_buffer, cancellationToken)) > 0)
        {
            if (checkPattern)
            {
                for (var i = 0; i < n; i++)
                {
                    if (_buffer[i] != StandInCommands.PatternAt(total + i))
                    {
                        throw new InvalidDataException($"byte {total + i} is wrong");
                    }
                }
            }

            total += n;
        }

        return total;
    }

    /// <summary>Half-closes: TLS close_notify and TCP FIN; reading goes on.</summary>
    public async Task ShutdownWriteAsync()
    {
        await Stream.ShutdownAsync();
        Socket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync() => await Stream.DisposeAsync();
}
