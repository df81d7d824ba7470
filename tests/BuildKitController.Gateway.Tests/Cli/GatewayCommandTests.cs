using System.Net;
using BuildKitController.Gateway.Cli;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Gateway.Tests.Cli;

public sealed class GatewayCommandTests
{
    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void The_controllers_arguments_parse_with_production_defaults()
    {
        var (options, level, json, errors) = GatewayCommand.Parse(
            ["--pool-name", "ci", "--pool-namespace", "team-a", "--listen-addr", "0.0.0.0:1235", "--controller-endpoint", "http://buildkit-controller.buildkit-system.svc:8082",
             "--metrics-addr", "0.0.0.0:9090", "--log-level", "debug", "--log-format", "json"],
            NoEnvironment);
        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal("ci", options.PoolName);
        Assert.Equal("team-a", options.PoolNamespace);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 1235), options.ListenEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9090), options.MetricsEndPoint);
        Assert.Equal(LogLevel.Debug, level);
        Assert.True(json);
        Assert.Equal(1234, options.WorkerPort);
        Assert.Equal("/etc/gateway/tls", options.ServerTlsDirectory);
        Assert.Equal("/etc/gateway/worker-tls", options.WorkerTlsDirectory);
        Assert.Equal(16_384, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(270), options.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ActivityReportInterval);
        Assert.False(options.ProxyProtocol);
        Assert.True(options.OpenSslReleaseBuffers);
        Assert.False(options.PreferAes128Gcm);
    }

    [Fact]
    public void Flags_use_equals_syntax_the_namespace_falls_back_to_the_environment_and_bad_values_are_reported()
    {
        var (options, _, _, errors) = GatewayCommand.Parse(
            ["--pool-name=ci", "--listen-addr=[::]:1235", "--metrics-addr=0", "--worker-port=2345", "--idle-timeout=30m", "--proxy-protocol", "--openssl-release-buffers=false", "--prefer-aes128-gcm=true"],
            name => name == "POD_NAMESPACE" ? "builds" : null);
        Assert.Empty(errors);
        Assert.Equal("builds", options!.PoolNamespace);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 1235), options.ListenEndPoint);
        Assert.Null(options.MetricsEndPoint);
        Assert.Equal(2345, options.WorkerPort);
        Assert.Equal(TimeSpan.FromMinutes(30), options.IdleTimeout);
        Assert.True(options.ProxyProtocol);
        Assert.False(options.OpenSslReleaseBuffers);
        Assert.True(options.PreferAes128Gcm);

        var bad = GatewayCommand.Parse(["--listen-addr", "nowhere", "--handshake-timeout", "soon", "--log-level", "loud", "--max-connections", "0"], NoEnvironment);
        Assert.Null(bad.Options);
        Assert.Contains(bad.Errors, e => e.Contains("--pool-name", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("--listen-addr", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("--handshake-timeout", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("--log-level", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("--max-connections", StringComparison.Ordinal));
    }
}
