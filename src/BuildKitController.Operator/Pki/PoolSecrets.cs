using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Operator.Pki;

/// <summary>The pool's certificate Secrets as the cache holds them (null when missing).</summary>
internal sealed record PoolSecrets(Secret? Authorities, Secret? GatewayServer, Secret? GatewayClient, Secret? WorkerServer);
