using System.Net;
using BuildKitController.Kubernetes.Yaml;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Requests_without_credentials_get_401_with_a_Status_body()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var anonymous = new Kube(cluster.Server.CreateHttpClient());
        anonymous.Http.DefaultRequestHeaders.Authorization = null;

        var response = await anonymous.GetAsync(Objects.ConfigMaps);
        using var health = await anonymous.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);

        StatusAssert.Failure(response, 401, "Unauthorized", "Unauthorized");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Unknown_and_revoked_tokens_get_401()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.AddToken("rotating", "ci-bot", "ci");
        using var client = new Kube(cluster.Server.CreateHttpClient("rotating"));
        using var wrong = new Kube(cluster.Server.CreateHttpClient("wrong"));

        var before = await client.GetAsync(Objects.ConfigMaps);
        var bad = await wrong.GetAsync(Objects.ConfigMaps);
        Assert.True(cluster.Server.RemoveToken("rotating"));
        var after = await client.GetAsync(Objects.ConfigMaps);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Contains(cluster.Server.RequestLog.Entries, e => e.User == "ci-bot");
    }

    [Fact]
    public async Task Client_certificates_issued_by_the_fake_CA_authenticate()
    {
        await using var cluster = await TestCluster.StartAsync();
        var certificate = cluster.Server.IssueClientCertificate("system:serviceaccount:buildkit:controller", "system:serviceaccounts");
        using var client = new Kube(cluster.Server.CreateHttpClient(clientCertificate: certificate));

        var response = await client.GetAsync(Objects.ConfigMaps);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(cluster.Server.RequestLog.Entries, e => e.User == "system:serviceaccount:buildkit:controller");
    }

    [Fact]
    public async Task Server_certificate_is_not_trusted_without_the_CA()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var untrusting = new HttpClient { BaseAddress = cluster.Server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/healthz", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Kubeconfig_names_the_server_CA_and_credentials()
    {
        await using var cluster = await TestCluster.StartAsync();
        var path = Path.GetTempFileName();
        try
        {
            await cluster.Server.WriteKubeconfigAsync(path, TestContext.Current.CancellationToken, token: "tkn", defaultNamespace: "buildkit");
            var config = YamlJson.ParseSingle(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
            var certConfig = YamlJson.ParseSingle(cluster.Server.CreateKubeconfig(clientCertificate: cluster.Server.IssueClientCertificate("me")));

            Assert.Equal(cluster.Server.BaseAddress.ToString().TrimEnd('/'), Json.Read(config, "clusters.0.cluster.server"));
            var ca = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(Json.Read(config, "clusters.0.cluster.certificate-authority-data")!));
            Assert.Equal(cluster.Server.CertificateAuthorityPem, ca);
            Assert.Equal("tkn", Json.Read(config, "users.0.user.token"));
            Assert.Equal("buildkit", Json.Read(config, "contexts.0.context.namespace"));
            Assert.Equal("fake", Json.Read(config, "current-context"));
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(Json.Read(certConfig, "users.0.user.client-certificate-data")!)), StringComparison.Ordinal);
            Assert.NotNull(Json.Read(certConfig, "users.0.user.client-key-data"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ClearTokens_revokes_the_admin_token_too()
    {
        await using var cluster = await TestCluster.StartAsync();

        cluster.Server.ClearTokens();
        var response = await cluster.Kube.GetAsync(Objects.ConfigMaps);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(cluster.Server.AdminToken, cluster.Kube.Http.DefaultRequestHeaders.Authorization?.Parameter);
    }
}
