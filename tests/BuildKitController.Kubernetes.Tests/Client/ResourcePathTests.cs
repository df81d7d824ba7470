using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Kubernetes.Tests.Client;

public sealed class ResourcePathTests
{
    [Fact]
    public void Core_group_paths_use_api_v1() =>
        Assert.Equal("/api/v1/namespaces/ns/pods/p/status", ResourcePath.For(Pod.Resource, "ns", "p", "status"));

    [Fact]
    public void Named_groups_use_apis() =>
        Assert.Equal("/apis/apps/v1/namespaces/ns/deployments", ResourcePath.For(Deployment.Resource, "ns"));

    [Fact]
    public void All_namespaces_and_cluster_scoped_omit_the_namespace()
    {
        Assert.Equal("/api/v1/pods", ResourcePath.For(Pod.Resource, null));
        Assert.Equal("/apis/authentication.k8s.io/v1/tokenreviews", ResourcePath.For(TokenReview.Resource, "ignored"));
    }

    [Fact]
    public void Names_are_escaped() =>
        Assert.Equal("/api/v1/namespaces/a%2Fb/configmaps/x%20y", ResourcePath.For(ConfigMap.Resource, "a/b", "x y"));

    [Fact]
    public void List_options_become_an_escaped_query()
    {
        var query = new ListOptions { LabelSelector = "app in (a,b),!legacy", Limit = 10, Continue = "tok=" }.ToQuery();
        Assert.Equal("?labelSelector=app%20in%20%28a%2Cb%29%2C%21legacy&limit=10&continue=tok%3D", query);
    }
}
