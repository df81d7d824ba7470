namespace BuildKitController.Operator.Naming;

/// <summary>Per-pool object names of the compatibility contract (upstream §1.2).</summary>
internal static class PoolObjectNames
{
    public static string Service(string pool) => pool;

    public static string GatewayDeployment(string pool) => $"{pool}-gateway";

    public static string Config(string pool) => $"{pool}-config";

    public static string GatewayTls(string pool) => $"{pool}-tls";

    public static string GatewayClientCertificates(string pool) => $"{pool}-client-certs";

    public static string WorkerTls(string pool) => $"{pool}-worker-tls";

    /// <summary>Per-pool CAs (client and worker); not part of the upstream contract.</summary>
    public static string Authorities(string pool) => $"{pool}-ca";

    public static string GatewayDisruptionBudget(string pool) => $"{pool}-gateway";

    public static string WorkerNetworkPolicy(string pool) => $"{pool}-workers";

    public static string GatewayNetworkPolicy(string pool) => $"{pool}-gateway";

    public static string Ingress(string pool) => $"{pool}-ingress";

    /// <summary>The gateway's ServiceAccount: its identity towards the allocation API (<c>/workers/lookup</c>).</summary>
    public static string GatewayServiceAccount(string pool) => $"{pool}-gateway";

    /// <summary>Role and RoleBinding <c>&lt;pool&gt;-gateway</c>: what the gateway's ServiceAccount may do in the pool's namespace.</summary>
    public static string GatewayRole(string pool) => $"{pool}-gateway";
}
