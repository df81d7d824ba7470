using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Gateway.Tests.Support;

/// <summary>Connection attempts that must fail, with what the client sees.</summary>
internal static class Refusals
{
    /// <summary>True when the gateway refuses <paramref name="certificate"/> (during or right after the handshake).</summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint endPoint, X509Certificate2? certificate, X509Certificate2 root, CancellationToken cancellationToken, bool checkName = true)
    {
        TestClient client;
        try
        {
            client = await TestClient.ConnectAsync(endPoint, certificate, root, cancellationToken, checkName: checkName);
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

    /// <summary>The value of a series in Prometheus text (0 when absent).</summary>
    public static double Metric(string scrape, string series)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
