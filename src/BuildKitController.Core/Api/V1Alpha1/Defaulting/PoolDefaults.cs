namespace BuildKitController.Core.Api.V1Alpha1.Defaulting;

/// <summary>Default values of <see cref="BuildKitPoolSpec"/> fields (CRD defaults and controller code defaults).</summary>
public static class PoolDefaults
{
    public const string ScalingMode = ScalingModes.Auto;
    public const int MinWorkers = 0;
    public const int MaxWorkers = 10;
    public const string ScaleDownDelay = "15m";
    public const int TargetCpuUtilization = 70;
    public const int TargetMemoryUtilization = 80;
    public const int TargetActiveConnections = 10;

    public const bool GcEnabled = true;
    public const string GcSchedule = "0 2 * * *";
    public const string RegistryCacheMode = "max";
    public const string RegistryCacheCompression = "zstd";

    public const bool TlsEnabled = true;
    public const string TlsMode = TlsModes.Auto;
    public const string ServerCertDuration = "8760h";
    public const string RotateBeforeExpiry = "720h";

    public const bool MtlsRequired = true;
    public const bool RbacEnabled = true;
    public const string OidcUserClaim = "sub";

    public const string ServiceType = ServiceTypes.ClusterIP;

    /// <summary>Gateway listener port; also the default Service port.</summary>
    public const int GatewayPort = 1235;

    public const bool MetricsEnabled = true;
    public const int MetricsPort = 9090;
    public const string LogLevel = "info";
    public const string LogFormat = "json";

    public const bool GatewayEnabled = true;
    public const int GatewayReplicas = 1;
    public const string GatewayCpuLimit = "200m";
    public const string GatewayMemoryLimit = "256Mi";
    public const string TokenTtl = "1h";
    public const string MaxTokenTtl = "24h";
    public const string GatewayClassName = "envoy";
    public const string GatewayNameSuffix = "-gateway";
    public const string GatewayApiTlsMode = GatewayApiTlsModes.Passthrough;
    public const bool GatewayApiTlsAutoGenerate = true;

    public const string SecurityProfile = SecurityProfiles.Rootless;

    /// <summary>BuildKit image for the <c>rootless</c> profile (the upstream default).</summary>
    public const string RootlessBuildkitImage = "moby/buildkit:master-rootless";

    /// <summary>BuildKit image for the <c>userns</c> and <c>privileged</c> profiles (buildkitd runs as root in the container).</summary>
    public const string RootfulBuildkitImage = "moby/buildkit:master";

    /// <summary>The upstream default gateway image; deployments pass their own through <see cref="PoolDefaultingOptions"/>.</summary>
    public const string GatewayImage = "ghcr.io/smrt-devops/buildkit-controller/gateway:latest";
}
