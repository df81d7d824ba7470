using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Security;

/// <summary>Bearer tokens and client certificates, as the real server's authenticators see them.</summary>
internal sealed class Authenticator(FakeCertificateAuthority authority)
{
    private readonly ConcurrentDictionary<string, FakeUser> _tokens = new(StringComparer.Ordinal);

    public void AddToken(string token, FakeUser user) => _tokens[token] = user;

    public bool RemoveToken(string token) => _tokens.TryRemove(token, out _);

    public void ClearTokens() => _tokens.Clear();

    /// <summary>The user, or null; <paramref name="invalidCredentials"/> is true when a token was sent but is unknown.</summary>
    public FakeUser? Authenticate(HttpContext context, out bool invalidCredentials)
    {
        invalidCredentials = false;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && _tokens.TryGetValue(header["Bearer ".Length..].Trim(), out var user))
            {
                return user;
            }

            invalidCredentials = true;
            return null;
        }

        if (context.Connection.ClientCertificate is { } certificate && authority.Verify(certificate))
        {
            var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
            var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
                .Select(n => n.GetSingleElementValue() ?? "")
                .ToList();
            return new FakeUser(name, groups);
        }

        return null;
    }
}
