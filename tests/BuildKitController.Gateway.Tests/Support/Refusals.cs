using System.Net;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Support;

/// <summary>Connection attempts that must fail, with what the client sees.</summary>
internal static class Refusals
{
    /// <summary>True when the gateway refuses <paramref name="certificate"/> (during or right after the handshake).</summary>
    public static Task<bool> IsRefusedAsync(IPEndPoint endPoint, X509Certificate2? certificate, X509Certificate2 root, CancellationToken cancellationToken, bool checkName = true) =>
        StandInClient.IsRefusedAsync(endPoint, certificate, root, cancellationToken, checkName);

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
