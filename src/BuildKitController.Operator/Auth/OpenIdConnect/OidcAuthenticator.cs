using BuildKitController.Operator.Auth.Jwt;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Authenticates a JWT against the trusted sources for its issuer (<see cref="OidcTrustedIssuers"/>): the first
/// source whose audience the token carries wins. A token that fails on anything but the audience (signature, key,
/// algorithm, times) is refused at once, whatever other sources exist. One verification is counted per token.
/// </summary>
internal sealed class OidcAuthenticator(OidcVerifierCache verifiers, AuthMetrics? metrics, ILogger logger)
{
    public async Task<AuthenticationResult> AuthenticateAsync(JwtToken token, IReadOnlyList<OidcTrustSource> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("at least one trusted source is needed", nameof(sources));
        }

        var issuer = sources[0].Issuer;
        OidcFailure? failure = null;
        foreach (var source in sources)
        {
            failure = await verifiers.Get(source.Issuer, source.Audience).VerifyAsync(token, cancellationToken);
            if (failure == OidcFailure.InvalidAudience)
            {
                continue;
            }

            if (failure is null)
            {
                (var identity, failure) = OidcIdentityMapper.Map(token, source);
                if (identity is not null)
                {
                    metrics?.RecordOidcVerification(issuer, "success");
                    AuthLog.OidcVerified(logger, identity.Name, issuer, source.Origin);
                    return AuthenticationResult.Success(identity);
                }
            }

            break;
        }

        failure ??= OidcFailure.InvalidAudience;
        metrics?.RecordOidcVerification(issuer, failure.Result);
        AuthLog.OidcRejected(logger, issuer, failure.Result);
        var message = $"OIDC token rejected: {failure.Message}";
        return failure.IsTransient ? AuthenticationResult.Unavailable(message) : AuthenticationResult.Failure(message);
    }
}
