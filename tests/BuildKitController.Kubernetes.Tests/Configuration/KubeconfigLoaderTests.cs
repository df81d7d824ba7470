using BuildKitController.Kubernetes.Authentication;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Tests.Support;

namespace BuildKitController.Kubernetes.Tests.Configuration;

public sealed class KubeconfigLoaderTests
{
    private static string Config(string currentContext, string clusters, string users, string contexts) => $"""
        apiVersion: v1
        kind: Config
        current-context: {currentContext}
        clusters:
        {clusters}
        users:
        {users}
        contexts:
        {contexts}
        """;

    [Fact]
    public void Current_context_selects_cluster_user_and_namespace()
    {
        var (caPem, _) = TestPki.SelfSigned("test-ca");
        var yaml = Config(
            "dev",
            $"""
            - name: c1
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: {TestPki.Base64(caPem)}
            """,
            """
            - name: u1
              user:
                token: secret-token
            """,
            """
            - name: dev
              context:
                cluster: c1
                user: u1
                namespace: builds
            """);

        var config = KubeconfigLoader.LoadFromString(yaml);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("builds", config.Namespace);
        Assert.Single(config.CertificateAuthorities);
        Assert.Equal("CN=test-ca", config.CertificateAuthorities[0].Subject);
        Assert.IsType<StaticTokenSource>(config.Token);
        Assert.False(config.InsecureSkipTlsVerify);
    }

    [Fact]
    public async Task Explicit_context_overrides_current_context_and_token_file_is_read()
    {
        using var dir = new TempDirectory();
        dir.Write("token", "file-token\n");
        var yaml = Config(
            "a",
            """
            - name: ca
              cluster:
                server: https://a.example:6443
            - name: cb
              cluster:
                server: https://b.example:6443
                insecure-skip-tls-verify: true
                tls-server-name: kubernetes.default
            """,
            """
            - name: ub
              user:
                tokenFile: token
            """,
            """
            - name: a
              context:
                cluster: ca
            - name: b
              context:
                cluster: cb
                user: ub
            """);

        var config = KubeconfigLoader.LoadFromString(yaml, context: "b", baseDirectory: dir.Path);

        Assert.Equal("b.example", config.Server.Host);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("kubernetes.default", config.TlsServerName);
        Assert.Equal("default", config.Namespace);
        var source = Assert.IsType<FileTokenSource>(config.Token);
        Assert.Equal(Path.Combine(dir.Path, "token"), source.Path);
        Assert.Equal("file-token", await source.GetTokenAsync(false, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Several_files_merge_with_first_definition_winning()
    {
        using var dir = new TempDirectory();
        var first = dir.Write("first", Config(
            "ctx",
            """
            - name: shared
              cluster:
                server: https://first.example
            """,
            "  []",
            """
            - name: ctx
              context:
                cluster: shared
                namespace: from-first
            """));
        var second = dir.Write("second", Config(
            "other",
            """
            - name: shared
              cluster:
                server: https://second.example
            - name: only-second
              cluster:
                server: https://only-second.example
            """,
            "  []",
            """
            - name: ctx
              context:
                cluster: only-second
            - name: other
              context:
                cluster: only-second
            """));

        var config = KubeconfigLoader.LoadFromFiles([first, Path.Combine(dir.Path, "missing"), second]);

        Assert.Equal("first.example", config.Server.Host);
        Assert.Equal("from-first", config.Namespace);
        Assert.Equal("only-second.example", KubeconfigLoader.LoadFromFiles([first, second], "other").Server.Host);
    }

    [Fact]
    public void Client_certificate_from_relative_files_is_loaded_with_its_key()
    {
        using var dir = new TempDirectory();
        var (certPem, keyPem) = TestPki.SelfSigned("alice");
        dir.Write("pki/client.crt", certPem);
        dir.Write("pki/client.key", keyPem);
        var path = dir.Write("conf/kubeconfig", Config(
            "x",
            """
            - name: c
              cluster:
                server: https://127.0.0.1:6443
            """,
            """
            - name: u
              user:
                client-certificate: ../pki/client.crt
                client-key: ../pki/client.key
            """,
            """
            - name: x
              context: {cluster: c, user: u}
            """));

        var config = KubeconfigLoader.LoadFromFiles([path]);

        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Equal("CN=alice", config.ClientCertificate.Subject);
        Assert.Null(config.Token);
    }

    [Fact]
    public void Client_certificate_data_is_loaded()
    {
        var (certPem, keyPem) = TestPki.SelfSigned("bob");
        var config = KubeconfigLoader.LoadFromString(Config(
            "x",
            """
            - name: c
              cluster: {server: "https://127.0.0.1:6443"}
            """,
            $"""
            - name: u
              user:
                client-certificate-data: {TestPki.Base64(certPem)}
                client-key-data: {TestPki.Base64(keyPem)}
            """,
            """
            - name: x
              context: {cluster: c, user: u}
            """));

        Assert.Equal("CN=bob", config.ClientCertificate!.Subject);
    }

    [Theory]
    [InlineData("current-context: nope\ncontexts: []\nclusters: []", "no context named 'nope'")]
    [InlineData("contexts: []", "no current-context")]
    [InlineData("current-context: x\ncontexts:\n- name: x\n  context: {cluster: missing}", "cluster 'missing', which is not defined")]
    [InlineData("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: 'not a url'}", "no valid server URL")]
    [InlineData("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\nusers:\n- name: u\n  user:\n    exec: {command: aws}", "exec or auth-provider")]
    [InlineData("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: 'https://h', certificate-authority-data: '%%%'}", "not valid base64")]
    [InlineData("{{{ not yaml", "not valid YAML")]
    public void Bad_kubeconfig_gives_a_clear_error(string yaml, string expected)
    {
        var error = Assert.Throws<KubernetesConfigurationException>(() => KubeconfigLoader.LoadFromString(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_its_key_is_rejected()
    {
        var (certPem, _) = TestPki.SelfSigned("carol");
        var yaml = Config(
            "x",
            "- name: c\n  cluster: {server: 'https://h'}",
            $"- name: u\n  user:\n    client-certificate-data: {TestPki.Base64(certPem)}",
            "- name: x\n  context: {cluster: c, user: u}");

        var error = Assert.Throws<KubernetesConfigurationException>(() => KubeconfigLoader.LoadFromString(yaml));
        Assert.Contains("both the certificate and its key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_existing_file_is_an_error()
    {
        Assert.Throws<KubernetesConfigurationException>(() => KubeconfigLoader.LoadFromFiles(["/nonexistent/kubeconfig"]));
    }

    [Fact]
    public void Path_list_is_split_on_the_platform_separator()
    {
        var list = KubeconfigLoader.SplitPathList($"/a{Path.PathSeparator}{Path.PathSeparator} /b ");
        Assert.Equal(["/a", "/b"], list);
    }
}
