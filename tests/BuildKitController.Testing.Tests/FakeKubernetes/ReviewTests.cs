using System.Net;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class ReviewTests
{
    private const string TokenReviews = "/apis/authentication.k8s.io/v1/tokenreviews";
    private const string AccessReviews = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    [Fact]
    public async Task TokenReview_defaults_to_not_authenticated_and_answers_from_the_delegate()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = Json.Parse("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"abc","audiences":["api"]}}""");

        var before = await cluster.Kube.PostAsync(TokenReviews, body);
        cluster.Server.TokenReviewHandler = spec => spec.Token == "abc"
            ? new TokenReviewStatus { Authenticated = true, User = new UserInfo { Username = "alice", Groups = ["devs"] }, Audiences = spec.Audiences }
            : new TokenReviewStatus { Authenticated = false, Error = "invalid token" };
        var after = await cluster.Kube.PostAsync(TokenReviews, body);

        Assert.Equal(HttpStatusCode.Created, before.Status);
        Assert.Equal("false", before.Text("status.authenticated"));
        Assert.Equal("true", after.Text("status.authenticated"));
        Assert.Equal("alice", after.Text("status.user.username"));
        Assert.Equal("""["api"]""", after.Text("status.audiences"));
        Assert.Equal("TokenReview", after.Text("kind"));
    }

    [Fact]
    public async Task SubjectAccessReview_answers_from_the_delegate_and_is_not_stored()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = Json.Parse("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
             "spec":{"user":"alice","resourceAttributes":{"namespace":"ci","verb":"create","group":"buildkit.smrt-devops.net","resource":"buildkitpools","subresource":"allocate"}}}
            """);

        var denied = await cluster.Kube.PostAsync(AccessReviews, body);
        cluster.Server.SubjectAccessReviewHandler = spec => new SubjectAccessReviewStatus
        {
            Allowed = spec.User == "alice" && spec.ResourceAttributes?.Verb == "create",
            Reason = "test",
        };
        var allowed = await cluster.Kube.PostAsync(AccessReviews, body);
        var list = await cluster.Kube.GetAsync(AccessReviews);

        Assert.Equal("false", denied.Text("status.allowed"));
        Assert.Equal("true", allowed.Text("status.allowed"));
        Assert.Equal("test", allowed.Text("status.reason"));
        StatusAssert.Failure(list, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    [Fact]
    public async Task SubjectAccessReview_without_attributes_is_invalid()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.Kube.PostAsync(AccessReviews, Json.Parse("""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"a"}}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
    }
}
