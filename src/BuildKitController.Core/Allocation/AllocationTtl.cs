using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Time;

namespace BuildKitController.Core.Allocation;

/// <summary>
/// The lifetime of an allocation: the requested Go duration, else the pool's <c>gateway.tokenTTL</c> (1h), capped at
/// <c>gateway.maxTokenTTL</c> (24h). Unlike upstream, a malformed, zero or negative request is an error, never
/// silently replaced.
/// </summary>
public static class AllocationTtl
{
    /// <summary>The TTL to grant, or an error message for the caller.</summary>
    public static (TimeSpan Ttl, string? Error) Resolve(string? requested, GatewayConfig? gateway)
    {
        var max = Parse(gateway?.MaxTokenTtl, PoolDefaults.MaxTokenTtl);
        var fallback = Parse(gateway?.TokenTtl, PoolDefaults.TokenTtl);
        if (string.IsNullOrWhiteSpace(requested))
        {
            return (fallback < max ? fallback : max, null);
        }

        if (!GoDuration.TryParse(requested, out var ttl))
        {
            return (TimeSpan.Zero, $"ttl \"{Truncate(requested)}\" is not a Go duration such as 30m, 1h or 2h30m");
        }

        if (ttl <= TimeSpan.Zero)
        {
            return (TimeSpan.Zero, $"ttl must be positive, got \"{Truncate(requested)}\"");
        }

        return (ttl < max ? ttl : max, null);
    }

    private static TimeSpan Parse(string? value, string fallback) =>
        GoDuration.TryParse(value, out var parsed) && parsed > TimeSpan.Zero ? parsed : GoDuration.Parse(fallback);

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
