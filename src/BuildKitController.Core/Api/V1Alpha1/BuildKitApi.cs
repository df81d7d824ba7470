namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>API group, version and well-known names of the BuildKit custom resources.</summary>
public static class BuildKitApi
{
    /// <summary>The API group, shared with the Go buildkit-controller.</summary>
    public const string Group = "buildkit.smrt-devops.net";

    /// <summary>The only served and stored version.</summary>
    public const string Version = "v1alpha1";

    /// <summary><c>buildkit.smrt-devops.net/v1alpha1</c>.</summary>
    public const string ApiVersion = Group + "/" + Version;
}
