using System.Net;
using System.Net.Security;
using BuildKitController.Gateway.Diagnostics;

namespace BuildKitController.Gateway.Listener;

/// <summary>The client side after PROXY header and TLS: an authenticated stream and its token, or a refusal.</summary>
internal sealed record HandshakeOutcome(SslStream? Stream, EndPoint? Remote, string? Token, RejectReason Rejection)
{
    public bool Succeeded => Stream is not null;
}
