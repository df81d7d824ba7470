using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace BuildKitController.Gateway.Cli;

/// <summary>
/// Listen addresses as the Go gateway takes them: <c>0.0.0.0:1235</c>, <c>:1235</c> (every interface),
/// <c>[::]:1235</c>, <c>localhost:1235</c>, <c>127.0.0.1:0</c> (a free port); <c>0</c> turns a server off where allowed.
/// </summary>
internal static class ListenAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        text = text?.Trim();
        var colon = text?.LastIndexOf(':') ?? -1;
        if (string.IsNullOrEmpty(text) || colon < 0)
        {
            error = "must be HOST:PORT or :PORT";
            return false;
        }

        var host = text[..colon];
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = "has an invalid port (0 to 65535)";
            return false;
        }

        IPAddress? address;
        if (host.Length == 0)
        {
            address = IPAddress.Any;
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6))
        {
            address = v6;
        }
        else if (!host.Contains(':', StringComparison.Ordinal) && host.Split('.').Length == 4 && IPAddress.TryParse(host, out var v4))
        {
            address = v4;
        }
        else
        {
            error = $"has host \"{host}\", which is not an IP address, [IPv6] or localhost";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        error = null;
        return true;
    }
}
