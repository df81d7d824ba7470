using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Api.V1Alpha1.Defaulting;

/// <summary>
/// Fills every default of a pool: the CRD schema defaults (so an object read from a server that did not default it
/// behaves the same) and the controller's code defaults (images, TTLs, certificate durations, resource preset, ...).
/// Pure: the input is never modified; an empty string counts as unset, as in Go.
/// </summary>
public static class BuildKitPoolDefaulter
{
    /// <summary>A defaulted deep copy of <paramref name="pool"/>, including the name-derived defaults (<c>gatewayAPI.gatewayName</c>).</summary>
    public static BuildKitPool Apply(BuildKitPool pool, PoolDefaultingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var copy = Clone(pool, CoreJsonContext.Default.BuildKitPool);
        copy.Spec = Apply(copy.Spec, options);
        if (copy.Spec.Gateway?.GatewayApi is { GatewayRef: null } gatewayApi && IsUnset(gatewayApi.GatewayName) && !IsUnset(pool.Metadata.Name))
        {
            gatewayApi.GatewayName = pool.Metadata.Name + PoolDefaults.GatewayNameSuffix;
        }

        return copy;
    }

    /// <summary>A defaulted deep copy of <paramref name="spec"/>.</summary>
    public static BuildKitPoolSpec Apply(BuildKitPoolSpec spec, PoolDefaultingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new PoolDefaultingOptions();
        var s = Clone(spec, CoreJsonContext.Default.BuildKitPoolSpec);

        DefaultScaling(s.Scaling ??= new ScalingConfig());
        DefaultResources(s.Resources ??= new ResourceConfig());
        DefaultCache(s.Cache ??= new CacheConfig());
        DefaultTls(s.Tls ??= new TlsConfig());
        DefaultAuth(s.Auth ??= new AuthConfig());
        var networking = s.Networking ??= new NetworkingConfig();
        DefaultNetworking(networking);
        DefaultObservability(s.Observability ??= new ObservabilityConfig());
        DefaultGateway(s.Gateway ??= new GatewayConfig(), networking);
        var worker = s.Worker ??= new WorkerConfig();
        if (IsUnset(worker.SecurityProfile))
        {
            worker.SecurityProfile = PoolDefaults.SecurityProfile;
        }

        if (IsUnset(s.BuildkitImage))
        {
            s.BuildkitImage = worker.SecurityProfile is SecurityProfiles.Privileged or SecurityProfiles.UserNamespace
                ? options.RootfulBuildkitImage
                : options.RootlessBuildkitImage;
        }

        if (IsUnset(s.GatewayImage))
        {
            s.GatewayImage = options.GatewayImage;
        }

        return s;
    }

    private static void DefaultScaling(ScalingConfig scaling)
    {
        if (IsUnset(scaling.Mode))
        {
            scaling.Mode = PoolDefaults.ScalingMode;
        }

        scaling.Min ??= PoolDefaults.MinWorkers;
        scaling.Max ??= PoolDefaults.MaxWorkers;
        if (IsUnset(scaling.ScaleDownDelay))
        {
            scaling.ScaleDownDelay = PoolDefaults.ScaleDownDelay;
        }

        scaling.TargetCpuUtilization ??= PoolDefaults.TargetCpuUtilization;
        scaling.TargetMemoryUtilization ??= PoolDefaults.TargetMemoryUtilization;
        scaling.TargetActiveConnections ??= PoolDefaults.TargetActiveConnections;
    }

    // No size and no buildkit resources: the md preset (upstream behaviour). A size: its preset, with explicit
    // buildkit requests and limits overriding it key by key.
    private static void DefaultResources(ResourceConfig resources)
    {
        var explicitResources = resources.Buildkit;
        var isEmpty = explicitResources is null
            || ((explicitResources.Requests is null || explicitResources.Requests.Count == 0)
                && (explicitResources.Limits is null || explicitResources.Limits.Count == 0));
        if (IsUnset(resources.Size) && !isEmpty)
        {
            return;
        }

        var size = ResourcePresets.IsKnown(resources.Size) ? resources.Size! : ResourcePresets.DefaultSize;
        var merged = ResourcePresets.Get(size);
        if (explicitResources is not null)
        {
            Overlay(merged.Requests!, explicitResources.Requests);
            Overlay(merged.Limits!, explicitResources.Limits);
            merged.ExtensionData = explicitResources.ExtensionData;
        }

        resources.Buildkit = merged;

        static void Overlay(Dictionary<string, string> target, Dictionary<string, string>? source)
        {
            foreach (var (name, quantity) in source ?? [])
            {
                target[name] = quantity;
            }
        }
    }

    private static void DefaultCache(CacheConfig cache)
    {
        var gc = cache.Gc ??= new GarbageCollectionConfig();
        gc.Enabled ??= PoolDefaults.GcEnabled;
        if (IsUnset(gc.Schedule))
        {
            gc.Schedule = PoolDefaults.GcSchedule;
        }

        foreach (var backend in cache.Backends ?? [])
        {
            if (backend.Registry is { } registry)
            {
                if (IsUnset(registry.Mode))
                {
                    registry.Mode = PoolDefaults.RegistryCacheMode;
                }

                if (IsUnset(registry.Compression))
                {
                    registry.Compression = PoolDefaults.RegistryCacheCompression;
                }
            }
        }
    }

    private static void DefaultTls(TlsConfig tls)
    {
        tls.Enabled ??= PoolDefaults.TlsEnabled;
        if (IsUnset(tls.Mode))
        {
            tls.Mode = PoolDefaults.TlsMode;
        }

        if (tls.Mode == TlsModes.Auto || tls.Auto is not null)
        {
            var auto = tls.Auto ??= new TlsAutoConfig();
            if (IsUnset(auto.ServerCertDuration))
            {
                auto.ServerCertDuration = PoolDefaults.ServerCertDuration;
            }

            if (IsUnset(auto.RotateBeforeExpiry))
            {
                auto.RotateBeforeExpiry = PoolDefaults.RotateBeforeExpiry;
            }
        }
    }

    private static void DefaultAuth(AuthConfig auth)
    {
        foreach (var method in auth.Methods ?? [])
        {
            if (method.Mtls is { } mtls)
            {
                mtls.Required ??= PoolDefaults.MtlsRequired;
            }

            if (method.Oidc is { } oidc)
            {
                var claims = oidc.ClaimsMapping ??= new ClaimsMapping();
                if (IsUnset(claims.User))
                {
                    claims.User = PoolDefaults.OidcUserClaim;
                }
            }
        }

        if (auth.Rbac is { } rbac)
        {
            rbac.Enabled ??= PoolDefaults.RbacEnabled;
        }
    }

    private static void DefaultNetworking(NetworkingConfig networking)
    {
        if (IsUnset(networking.ServiceType))
        {
            networking.ServiceType = PoolDefaults.ServiceType;
        }

        networking.Port ??= PoolDefaults.GatewayPort;
    }

    private static void DefaultObservability(ObservabilityConfig observability)
    {
        var metrics = observability.Metrics ??= new MetricsConfig();
        metrics.Enabled ??= PoolDefaults.MetricsEnabled;
        metrics.Port ??= PoolDefaults.MetricsPort;
        var logging = observability.Logging ??= new LoggingConfig();
        if (IsUnset(logging.Level))
        {
            logging.Level = PoolDefaults.LogLevel;
        }

        if (IsUnset(logging.Format))
        {
            logging.Format = PoolDefaults.LogFormat;
        }
    }

    private static void DefaultGateway(GatewayConfig gateway, NetworkingConfig networking)
    {
        gateway.Enabled ??= PoolDefaults.GatewayEnabled;
        gateway.Replicas ??= PoolDefaults.GatewayReplicas;
        var resources = gateway.Resources ??= new GatewayResources();
        if (IsUnset(resources.Cpu))
        {
            resources.Cpu = PoolDefaults.GatewayCpuLimit;
        }

        if (IsUnset(resources.Memory))
        {
            resources.Memory = PoolDefaults.GatewayMemoryLimit;
        }

        if (IsUnset(gateway.TokenTtl))
        {
            gateway.TokenTtl = PoolDefaults.TokenTtl;
        }

        if (IsUnset(gateway.MaxTokenTtl))
        {
            gateway.MaxTokenTtl = PoolDefaults.MaxTokenTtl;
        }

        if (IsUnset(gateway.ServiceType))
        {
            gateway.ServiceType = networking.ServiceType;
        }

        gateway.Port ??= networking.Port;
        if (gateway.GatewayApi is { } gatewayApi)
        {
            if (gatewayApi.GatewayRef is null && IsUnset(gatewayApi.GatewayClassName))
            {
                gatewayApi.GatewayClassName = PoolDefaults.GatewayClassName;
            }

            var tls = gatewayApi.Tls ??= new GatewayApiTlsConfig();
            if (IsUnset(tls.Mode))
            {
                tls.Mode = PoolDefaults.GatewayApiTlsMode;
            }

            tls.AutoGenerate ??= PoolDefaults.GatewayApiTlsAutoGenerate;
        }
    }

    private static bool IsUnset(string? value) => string.IsNullOrEmpty(value);

    private static T Clone<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), typeInfo)!;
}
