using BuildKitController.Kubernetes.Authentication;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Tests.Support;

namespace BuildKitController.Kubernetes.Tests.Configuration;

public sealed class InClusterConfigurationTests
{
    [Fact]
    public async Task Reads_service_host_port_ca_namespace_and_token_file()
    {
        using var dir = new TempDirectory();
        var (caPem, _) = TestPki.SelfSigned("cluster-ca");
        dir.Write("token", "sa-token");
        dir.Write("ca.crt", caPem);
        dir.Write("namespace", "buildkit-system\n");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = InClusterConfiguration.Load(dir.Path, name => env.GetValueOrDefault(name));

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("buildkit-system", config.Namespace);
        Assert.Equal("CN=cluster-ca", Assert.Single(config.CertificateAuthorities).Subject);
        var token = Assert.IsType<FileTokenSource>(config.Token);
        Assert.Equal("sa-token", await token.GetTokenAsync(false, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Ipv6_service_host_is_bracketed()
    {
        using var dir = new TempDirectory();
        dir.Write("token", "t");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = InClusterConfiguration.Load(dir.Path, name => env.GetValueOrDefault(name));

        Assert.Equal("[fd00::1]", config.Server.Host);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Missing_environment_or_token_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<KubernetesConfigurationException>(() => InClusterConfiguration.Load(dir.Path, _ => null));
        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);

        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "h", ["KUBERNETES_SERVICE_PORT"] = "1" };
        error = Assert.Throws<KubernetesConfigurationException>(() => InClusterConfiguration.Load(dir.Path, name => env.GetValueOrDefault(name)));
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
    }
}
