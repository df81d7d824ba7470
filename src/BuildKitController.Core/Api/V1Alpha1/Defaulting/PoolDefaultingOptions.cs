namespace BuildKitController.Core.Api.V1Alpha1.Defaulting;

/// <summary>Defaults that depend on how the controller is deployed.</summary>
public sealed record PoolDefaultingOptions
{
    /// <summary>Gateway image for pools without <c>spec.gatewayImage</c> (the controller's <c>GATEWAY_IMAGE</c>).</summary>
    public string GatewayImage { get; init; } = PoolDefaults.GatewayImage;

    /// <summary>BuildKit image for rootless pools without <c>spec.buildkitImage</c>.</summary>
    public string RootlessBuildkitImage { get; init; } = PoolDefaults.RootlessBuildkitImage;

    /// <summary>BuildKit image for rootful (<c>userns</c>, <c>privileged</c>) pools without <c>spec.buildkitImage</c>.</summary>
    public string RootfulBuildkitImage { get; init; } = PoolDefaults.RootfulBuildkitImage;
}
