using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace BuildKitController.Operator.Hosting;

/// <summary>
/// A listen address as controller-runtime spells it: <c>:8080</c> (every interface), <c>0.0.0.0:8080</c>,
/// <c>[::]:8080</c>, <c>127.0.0.1:0</c> (any free port), <c>localhost:8080</c>, or <c>0</c> alone, which turns the
/// server off.
/// </summary>
/// <param name="Host">An IP literal, <c>localhost</c>, or empty for every interface.</param>
/// <param name="Port">0 to 65535; 0 picks a free port.</param>
internal sealed record BindAddress(string Host, int Port)
{
    /// <summary>The server is not started (<c>0</c>).</summary>
    public static BindAddress Disabled { get; } = new("", -1);

    public bool IsDisabled => Port < 0;

    /// <summary>Parses a bind address; <paramref name="error"/> says why it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BindAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty (use \"0\" to turn the server off)";
            return false;
        }

        if (text == "0")
        {
            address = Disabled;
            error = null;
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = "must be HOST:PORT, :PORT, or 0 to turn the server off";
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"has an invalid port \"{portText}\" (0 to 65535)";
            return false;
        }

        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"has an invalid IPv6 host \"{host}\"";
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = "needs brackets around an IPv6 host, e.g. [::1]:8080";
            return false;
        }
        else if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IsDottedQuad(host))
        {
            error = $"has host \"{host}\", which is neither an IP address nor localhost";
            return false;
        }

        address = new BindAddress(host.ToLowerInvariant(), port);
        error = null;
        return true;
    }

    /// <summary>Strict IPv4 (four decimal parts), unlike <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> which takes <c>1.2.3</c>.</summary>
    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>Parses a bind address or throws <see cref="FormatException"/>.</summary>
    public static BindAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException($"bind address \"{text}\" {error}");

    /// <summary>The IP to listen on, or null for every interface (dual-stack).</summary>
    public IPAddress? ListenAddress => Host switch
    {
        "" => null,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(Host),
    };

    public override string ToString() => IsDisabled
        ? "0"
        : Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
