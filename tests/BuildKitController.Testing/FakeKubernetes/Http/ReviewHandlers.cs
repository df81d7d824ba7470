using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>The answers TokenReview and SubjectAccessReview give; settable at run time.</summary>
internal sealed class ReviewHandlers
{
    public Func<TokenReviewSpec, TokenReviewStatus> TokenReview { get; set; } = _ => new TokenReviewStatus { Authenticated = false };

    public Func<SubjectAccessReviewSpec, SubjectAccessReviewStatus> SubjectAccessReview { get; set; } =
        _ => new SubjectAccessReviewStatus { Allowed = false, Reason = "" };
}
