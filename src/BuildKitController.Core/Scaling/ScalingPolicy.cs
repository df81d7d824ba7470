namespace BuildKitController.Core.Scaling;

/// <summary>The pool's scaling rules, already defaulted and parsed.</summary>
/// <param name="Min">Idle workers to keep warm beyond the allocated ones.</param>
/// <param name="Max">Hard cap on workers that exist (allocated, idle or starting).</param>
/// <param name="ScaleDownDelay">An idle worker above <paramref name="Min"/> is removed after it has been idle this long.</param>
/// <param name="ProvisioningPatience">A worker that has not become ready after this long is replaced (cluster autoscalers need minutes).</param>
/// <param name="ScaledDown">The scale-down schedule window is active: keep no idle workers.</param>
public sealed record ScalingPolicy(int Min, int Max, TimeSpan ScaleDownDelay, TimeSpan ProvisioningPatience, bool ScaledDown = false);
