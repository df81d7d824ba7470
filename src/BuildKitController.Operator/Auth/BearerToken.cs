namespace BuildKitController.Operator.Auth;

/// <summary>Reads the token of an <c>Authorization: Bearer &lt;token&gt;</c> header (RFC 6750 §2.1).</summary>
internal static class BearerToken
{
    /// <summary>The token, or null with a short reason that never repeats the header.</summary>
    public static string? Parse(string? authorization, int maxBytes, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(authorization))
        {
            error = "missing bearer token (send Authorization: Bearer <token>)";
            return null;
        }

        var value = authorization.Trim();
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !value.AsSpan(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            error = "unsupported authorization scheme (send Authorization: Bearer <token>)";
            return null;
        }

        var token = value[(space + 1)..].TrimStart(' ');
        if (token.Length == 0)
        {
            error = "missing bearer token (send Authorization: Bearer <token>)";
            return null;
        }

        if (token.Length > maxBytes)
        {
            error = $"the bearer token is longer than {maxBytes} bytes";
            return null;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '='))
            {
                error = "the bearer token contains characters a token cannot contain";
                return null;
            }
        }

        return token;
    }
}
