using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Workers;

/// <summary>How buildkitd runs under a security profile: user, socket and state locations, sandbox flags.</summary>
internal sealed record WorkerRuntime(string SocketPath, string StatePath, bool Rootless, bool NoProcessSandbox)
{
    /// <summary>
    /// <c>rootless</c> (default): uid 1000, seccomp and AppArmor unconfined as rootless BuildKit requires, and
    /// <c>--oci-worker-no-process-sandbox</c> because an unprivileged pod cannot mount a fresh /proc.
    /// <c>userns</c>: root inside a pod user namespace (<c>hostUsers: false</c>) with an unmasked /proc, so the
    /// process sandbox stays on. <c>privileged</c>: rootful, privileged container (for hosts without userns).
    /// </summary>
    public static WorkerRuntime For(string? profile) => profile switch
    {
        SecurityProfiles.UserNamespace => new("/run/buildkit/buildkitd.sock", "/var/lib/buildkit", Rootless: false, NoProcessSandbox: false),
        SecurityProfiles.Privileged => new("/run/buildkit/buildkitd.sock", "/var/lib/buildkit", Rootless: false, NoProcessSandbox: false),
        _ => new("/run/user/1000/buildkit/buildkitd.sock", "/home/user/.local/share/buildkit", Rootless: true, NoProcessSandbox: true),
    };
}
