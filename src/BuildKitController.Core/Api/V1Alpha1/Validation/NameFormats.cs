using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>Kubernetes name and network formats.</summary>
internal static partial class NameFormats
{
    /// <summary>RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters.</summary>
    public static bool IsDns1123Label(string? value) => value is { Length: > 0 and <= 63 } && Dns1123Label().IsMatch(value);

    /// <summary>RFC 1123 subdomain: dot-separated labels, at most 253 characters.</summary>
    public static bool IsDns1123Subdomain(string? value) => value is { Length: > 0 and <= 253 } && Dns1123Subdomain().IsMatch(value);

    /// <summary>RFC 1035 label (starts with a letter), as Service names require.</summary>
    public static bool IsDns1035Label(string? value) => value is { Length: > 0 and <= 63 } && Dns1035Label().IsMatch(value);

    /// <summary>A subdomain, optionally with a leading <c>*.</c> wildcard label.</summary>
    public static bool IsWildcardHostname(string? value) =>
        value is not null && (value.StartsWith("*.", StringComparison.Ordinal) ? IsDns1123Subdomain(value[2..]) : IsDns1123Subdomain(value));

    /// <summary>A label or annotation key: <c>[prefix/]name</c>.</summary>
    public static bool IsQualifiedName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = value;
        if (slash >= 0)
        {
            var prefix = value[..slash];
            name = value[(slash + 1)..];
            if (!IsDns1123Subdomain(prefix))
            {
                return false;
            }
        }

        return name.Length is > 0 and <= 63 && QualifiedNamePart().IsMatch(name);
    }

    /// <summary>A label value: empty, or at most 63 alphanumerics, '-', '_' and '.' beginning and ending alphanumeric.</summary>
    public static bool IsLabelValue(string? value) =>
        value is not null && (value.Length == 0 || (value.Length <= 63 && QualifiedNamePart().IsMatch(value)));

    /// <summary>An IPv4 or IPv6 address.</summary>
    public static bool IsIPAddress(string? value) => value is not null && IPAddress.TryParse(value, out _) && !value.Contains('/', StringComparison.Ordinal);

    /// <summary>An address block such as <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.</summary>
    public static bool IsCidr(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(value[..slash], out var address))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        return int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefixLength)
            && prefixLength <= maxPrefix;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();
}
