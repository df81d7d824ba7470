namespace BuildKitController.Testing.Oidc;

/// <summary>How the test issuer misbehaves on one endpoint (discovery or JWKS).</summary>
public enum TestOidcFault
{
    /// <summary>Serve the document.</summary>
    None,

    /// <summary>HTTP 500 with a plain-text body.</summary>
    ServerError,

    /// <summary>HTTP 404.</summary>
    NotFound,

    /// <summary>HTTP 200 with a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>HTTP 200 with a 2 MiB JSON body (for response size caps).</summary>
    Oversized,

    /// <summary>Reset the connection without a response (the endpoint is unreachable).</summary>
    Abort,

    /// <summary>Never answer; the request ends only when the client gives up or the issuer is disposed (for timeouts).</summary>
    Hang,
}
