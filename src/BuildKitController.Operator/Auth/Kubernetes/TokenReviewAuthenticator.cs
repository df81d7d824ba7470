using System.Security.Cryptography;
using System.Text;
using BuildKitController.Core.Access;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models.AuthenticationV1;

namespace BuildKitController.Operator.Auth.Kubernetes;

/// <summary>
/// Authenticates a bearer token by asking the Kubernetes API server (<c>POST
/// authentication.k8s.io/v1 tokenreviews</c>, with <see cref="AuthOptions.TokenReviewAudiences"/>). The token is
/// accepted only when the review says <c>authenticated: true</c> with a user name and, when audiences were asked
/// for, names one of them. Admins are the users matching <see cref="AuthOptions.AdminUsers"/> or in
/// <see cref="AuthOptions.AdminGroups"/>.
/// </summary>
/// <remarks>
/// Positive answers are cached for <see cref="AuthOptions.TokenReviewCacheTtl"/> (10 s by default) keyed by the
/// token's SHA-256, so a busy CI client costs one review per 10 s rather than one per request; the token itself is
/// never kept. Negative answers are not cached (a new ServiceAccount works at once), and API errors are reported as
/// transient (503), never as "not authenticated".
/// </remarks>
internal sealed class TokenReviewAuthenticator(KubernetesClient client, AuthOptions options, TimeProvider time, AuthMetrics? metrics, ILogger logger)
{
    private const string Rejected = "the bearer token was not accepted (neither a token of a trusted OIDC issuer nor one the Kubernetes API server authenticates)";

    private readonly ExpiringCache<string, CallerIdentity> _cache = new(time, options.MaxCacheEntries);

    public async Task<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_cache.TryGet(key, out var cached))
        {
            metrics?.RecordTokenReview("cached");
            return AuthenticationResult.Success(cached);
        }

        TokenReview review;
        try
        {
            review = await client.For<TokenReview>().CreateAsync(new TokenReview
            {
                Spec = new TokenReviewSpec { Token = token, Audiences = options.TokenReviewAudiences.Count > 0 ? [.. options.TokenReviewAudiences] : null },
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            metrics?.RecordTokenReview("error");
            AuthLog.TokenReviewFailed(logger, ex.Message);
            return AuthenticationResult.Unavailable("the Kubernetes API server could not review the token; try again later");
        }

        var status = review.Status;
        var user = status?.User?.Username;
        if (status?.Authenticated != true || string.IsNullOrEmpty(user))
        {
            metrics?.RecordTokenReview("rejected");
            AuthLog.TokenReviewRejected(logger, string.IsNullOrEmpty(status?.Error) ? "not authenticated" : status.Error);
            return AuthenticationResult.Failure(Rejected);
        }

        if (options.TokenReviewAudiences.Count > 0
            && !(status.Audiences ?? []).Any(a => options.TokenReviewAudiences.Contains(a, StringComparer.Ordinal)))
        {
            metrics?.RecordTokenReview("rejected");
            AuthLog.TokenReviewRejected(logger, "the token is not valid for the configured audiences");
            return AuthenticationResult.Failure("the bearer token is not valid for this API's audience");
        }

        var groups = (IReadOnlyList<string>?)status.User!.Groups ?? [];
        var isAdmin = options.AdminUsers.Any(p => NamePattern.Matches(p, user)) || groups.Any(g => options.AdminGroups.Contains(g, StringComparer.Ordinal));
        var identity = new CallerIdentity(user, CallerMethods.ServiceAccount, [.. groups], Issuer: null, AllowedPools: null,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["sub"] = user }, isAdmin)
        {
            Source = "TokenReview",
        };
        _cache.Set(key, identity, options.TokenReviewCacheTtl);
        metrics?.RecordTokenReview("authenticated");
        AuthLog.TokenReviewAuthenticated(logger, user, isAdmin);
        return AuthenticationResult.Success(identity);
    }
}
