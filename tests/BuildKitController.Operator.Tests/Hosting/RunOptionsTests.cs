using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Operator.Cli;
using BuildKitController.Operator.Hosting;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class RunOptionsTests
{
    private static OperatorOptions Parse(string[] args, Dictionary<string, string>? environment = null)
    {
        var result = RunCommand.Parse(args, name => environment?.GetValueOrDefault(name));
        Assert.Empty(result.Errors);
        return result.Options!;
    }

    private static IReadOnlyList<string> Errors(string[] args, Dictionary<string, string>? environment = null)
    {
        var result = RunCommand.Parse(args, name => environment?.GetValueOrDefault(name));
        Assert.Null(result.Options);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    [Fact]
    public void Defaults_match_upstream()
    {
        var options = Parse([]);

        Assert.Equal(BindAddress.Parse(":8080"), options.MetricsBindAddress);
        Assert.Equal(BindAddress.Parse(":8081"), options.HealthProbeBindAddress);
        Assert.Equal(BindAddress.Parse(":8082"), options.ApiBindAddress);
        Assert.False(options.LeaderElect);
        Assert.Equal("buildkit-controller.smrt-devops.net", options.LeaderElectionId);
        Assert.Equal("buildkit-system", options.Namespace);
        Assert.Equal("buildkit-system", options.LeaderElectionNamespace);
        Assert.Null(options.WatchNamespace);
        Assert.Null(options.Kubeconfig);
        Assert.Equal(4, options.MaxConcurrentReconciles);
        Assert.Equal(50, options.KubeApiQps);
        Assert.Equal(100, options.KubeApiBurst);
        Assert.Equal(300, options.ApiKubeApiQps);
        Assert.Equal(600, options.ApiKubeApiBurst);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), options.GracefulShutdownTimeout);
        Assert.Equal(PoolDefaults.GatewayImage, options.GatewayImage);
        Assert.Equal(["gatewayapi", "ingress"], options.AllowedIngressTypes.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromHours(8760), options.CertificateClientDuration);
        Assert.Equal(TimeSpan.FromHours(8760), options.CertificateServerDuration);
        Assert.Equal(LogLevel.Information, options.LogLevel);
        Assert.Equal(LogFormat.Text, options.LogFormat);
        Assert.StartsWith(Environment.MachineName + "_", options.LeaderElectionIdentity, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_override_defaults_in_both_spellings()
    {
        var options = Parse(
        [
            "--metrics-bind-address=127.0.0.1:9090", "--health-probe-bind-address", "0", "--api-bind-address=[::]:8443",
            "--leader-elect", "--leader-election-namespace=kube-system", "--namespace", "ops", "--watch-namespace=team-a",
            "--kubeconfig=/tmp/kc", "--max-concurrent-reconciles", "16", "--leader-elect-lease-duration=1m",
            "--leader-elect-renew-deadline=45s", "--leader-elect-retry-period=5s", "--graceful-shutdown-timeout=0s",
            "--kube-api-qps=20.5", "--kube-api-burst", "30", "--api-kube-api-qps=0", "--api-kube-api-burst=1",
        ]);

        Assert.Equal(new BindAddress("127.0.0.1", 9090), options.MetricsBindAddress);
        Assert.True(options.HealthProbeBindAddress.IsDisabled);
        Assert.Equal(new BindAddress("::", 8443), options.ApiBindAddress);
        Assert.True(options.LeaderElect);
        Assert.Equal("kube-system", options.LeaderElectionNamespace);
        Assert.Equal("ops", options.Namespace);
        Assert.Equal("team-a", options.WatchNamespace);
        Assert.Equal("/tmp/kc", options.Kubeconfig);
        Assert.Equal(16, options.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(45), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RetryPeriod);
        Assert.Equal(TimeSpan.Zero, options.GracefulShutdownTimeout);
        Assert.Equal(20.5, options.KubeApiQps);
        Assert.Equal(30, options.KubeApiBurst);
        Assert.Equal(0, options.ApiKubeApiQps);
        Assert.Equal(1, options.ApiKubeApiBurst);
        Assert.False(Parse(["--leader-elect=false"]).LeaderElect);
    }

    [Fact]
    public void Environment_supplies_the_deployment_settings()
    {
        var options = Parse([], new()
        {
            ["POD_NAMESPACE"] = "from-pod",
            ["POD_NAME"] = "buildkit-controller-7d9f-abcde",
            ["GATEWAY_IMAGE"] = "registry.example/gateway:1.2.3",
            ["ALLOWED_INGRESS_TYPES"] = " GatewayAPI ,",
            ["CERT_DEFAULT_CLIENT_DURATION"] = "24h",
            ["CERT_DEFAULT_SERVER_DURATION"] = "2160h30m",
            ["LOG_LEVEL"] = "debug",
            ["LOG_FORMAT"] = "JSON",
        });

        Assert.Equal("from-pod", options.Namespace);
        Assert.Equal("from-pod", options.LeaderElectionNamespace);
        Assert.StartsWith("buildkit-controller-7d9f-abcde_", options.LeaderElectionIdentity, StringComparison.Ordinal);
        Assert.Equal("registry.example/gateway:1.2.3", options.GatewayImage);
        Assert.Equal("registry.example/gateway:1.2.3", options.PoolDefaulting.GatewayImage);
        Assert.Equal(["gatewayapi"], options.AllowedIngressTypes);
        Assert.Equal(TimeSpan.FromHours(24), options.CertificateClientDuration);
        Assert.Equal(new TimeSpan(2160, 30, 0), options.CertificateServerDuration);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal(LogFormat.Json, options.LogFormat);
    }

    [Fact]
    public void The_namespace_comes_from_the_flag_then_CONTROLLER_NAMESPACE_then_POD_NAMESPACE()
    {
        Dictionary<string, string> both = new() { ["CONTROLLER_NAMESPACE"] = "controller", ["POD_NAMESPACE"] = "pod" };
        Assert.Equal("controller", Parse([], both).Namespace);
        Assert.Equal("flag", Parse(["--namespace=flag"], both).Namespace);
        Assert.Equal("pod", Parse([], new() { ["POD_NAMESPACE"] = "pod", ["CONTROLLER_NAMESPACE"] = "" }).Namespace);
    }

    [Theory]
    [InlineData("ingress", "ingress")]
    [InlineData("Ingress,GATEWAYAPI", "gatewayapi,ingress")]
    [InlineData("", "gatewayapi,ingress")]
    [InlineData(" , ", "gatewayapi,ingress")]
    public void Allowed_ingress_types_are_a_comma_list_where_empty_means_both(string value, string expected) =>
        Assert.Equal(expected, string.Join(',', Parse([], new() { ["ALLOWED_INGRESS_TYPES"] = value }).AllowedIngressTypes.Order(StringComparer.Ordinal)));

    [Theory]
    [InlineData(new[] { "--metrics-bind-address=8080" }, "--metrics-bind-address \"8080\" must be HOST:PORT")]
    [InlineData(new[] { "--health-probe-bind-address=:99999" }, "--health-probe-bind-address \":99999\" has an invalid port")]
    [InlineData(new[] { "--api-bind-address=:8080" }, "--api-bind-address :8080 is also the metrics or health probe address")]
    [InlineData(new[] { "--max-concurrent-reconciles=0" }, "--max-concurrent-reconciles must be at least 1")]
    [InlineData(new[] { "--max-concurrent-reconciles=many" }, "many")]
    [InlineData(new[] { "--kube-api-qps=-1" }, "--kube-api-qps must be a finite number of requests per second, 0 or more, not -1")]
    [InlineData(new[] { "--api-kube-api-qps=NaN" }, "--api-kube-api-qps must be a finite number")]
    [InlineData(new[] { "--kube-api-burst=0" }, "--kube-api-burst must be at least 1, not 0")]
    [InlineData(new[] { "--api-kube-api-burst=-5" }, "--api-kube-api-burst must be at least 1, not -5")]
    [InlineData(new[] { "--namespace=Not_A_Namespace" }, "--namespace (or CONTROLLER_NAMESPACE, POD_NAMESPACE) \"Not_A_Namespace\" is not a namespace name")]
    [InlineData(new[] { "--watch-namespace=-x" }, "--watch-namespace \"-x\" is not a namespace name")]
    [InlineData(new[] { "--leader-elect-lease-duration=soon" }, "--leader-elect-lease-duration \"soon\" is not a duration")]
    [InlineData(new[] { "--leader-elect-renew-deadline=20s" }, "--leader-elect-renew-deadline (20s) must be shorter than --leader-elect-lease-duration (15s)")]
    [InlineData(new[] { "--leader-elect-retry-period=10s" }, "--leader-elect-retry-period (10s) must be shorter than --leader-elect-renew-deadline (10s)")]
    [InlineData(new[] { "--graceful-shutdown-timeout=-1s" }, "--graceful-shutdown-timeout \"-1s\" must be zero or positive")]
    [InlineData(new[] { "--no-such-flag" }, "--no-such-flag")]
    [InlineData(new[] { "--leader-elect=maybe" }, "maybe")]
    public void Invalid_flags_are_reported(string[] args, string expected) =>
        Assert.Contains(Errors(args), e => e.Contains(expected, StringComparison.Ordinal));

    [Theory]
    [InlineData("ALLOWED_INGRESS_TYPES", "ingress,istio", "ALLOWED_INGRESS_TYPES has unknown type \"istio\"")]
    [InlineData("CERT_DEFAULT_CLIENT_DURATION", "1y", "CERT_DEFAULT_CLIENT_DURATION \"1y\" is not a duration")]
    [InlineData("CERT_DEFAULT_SERVER_DURATION", "0s", "CERT_DEFAULT_SERVER_DURATION \"0s\" must be positive")]
    [InlineData("LOG_LEVEL", "loud", "LOG_LEVEL \"loud\" is not one of trace, debug, info, warn, error, critical")]
    [InlineData("LOG_FORMAT", "xml", "LOG_FORMAT \"xml\" is not one of json, text")]
    [InlineData("POD_NAMESPACE", "UPPER", "is not a namespace name")]
    public void Invalid_environment_values_are_reported(string name, string value, string expected) =>
        Assert.Contains(Errors([], new() { [name] = value }), e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Errors(["--metrics-bind-address=x", "--max-concurrent-reconciles=0"], new() { ["LOG_FORMAT"] = "xml" });
        Assert.Equal(3, errors.Count);
    }
}
