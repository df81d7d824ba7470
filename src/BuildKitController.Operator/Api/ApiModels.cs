using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Api;

/// <summary><c>POST /api/v1/workers/allocate</c> (upstream keys kept; <c>csr</c> is new).</summary>
internal sealed record AllocateRequest
{
    [JsonPropertyName("poolName")]
    public string? PoolName { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("ttl")]
    public string? Ttl { get; init; }

    [JsonPropertyName("jobId")]
    public string? JobId { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>PEM PKCS#10 request; when set, <c>clientKey</c> is empty in the answer.</summary>
    [JsonPropertyName("csr")]
    public string? Csr { get; init; }

    /// <summary>False: answer 202 with an allocation id at once and let the client poll <c>/api/v1/allocations/{id}</c>.</summary>
    [JsonPropertyName("wait")]
    public bool? Wait { get; init; }
}

/// <summary>A request still waiting for a worker (202).</summary>
internal sealed record AllocationPending(
    [property: JsonPropertyName("allocationId")] string AllocationId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("position")] int? Position);

/// <summary>Optional body of <c>POST /api/v1/allocations/{id}</c>.</summary>
internal sealed record PollRequest
{
    [JsonPropertyName("csr")]
    public string? Csr { get; init; }
}

/// <summary>Answer of allocate and renew: PEMs are base64-encoded, as upstream.</summary>
internal sealed record AllocateResponse
{
    [JsonPropertyName("workerName")]
    public required string WorkerName { get; init; }

    [JsonPropertyName("token")]
    public required string Token { get; init; }

    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    [JsonPropertyName("gatewayEndpoint")]
    public required string GatewayEndpoint { get; init; }

    [JsonPropertyName("expiresAt")]
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("caCert")]
    public required string CaCert { get; init; }

    [JsonPropertyName("clientCert")]
    public required string ClientCert { get; init; }

    [JsonPropertyName("clientKey")]
    public required string ClientKey { get; init; }

    [JsonPropertyName("poolName")]
    public required string PoolName { get; init; }

    [JsonPropertyName("namespace")]
    public required string Namespace { get; init; }
}

/// <summary>Body of release, renew and lookup.</summary>
internal sealed record TokenRequest
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>Renew only: the new TTL from now.</summary>
    [JsonPropertyName("ttl")]
    public string? Ttl { get; init; }

    /// <summary>Renew only: PEM PKCS#10 request for the fresh certificate.</summary>
    [JsonPropertyName("csr")]
    public string? Csr { get; init; }
}

internal sealed record ReleaseResponse([property: JsonPropertyName("status")] string Status);

internal sealed record LookupResponse(
    [property: JsonPropertyName("workerEndpoint")] string WorkerEndpoint,
    [property: JsonPropertyName("workerName")] string WorkerName,
    [property: JsonPropertyName("poolName")] string PoolName,
    [property: JsonPropertyName("namespace")] string Namespace);

internal sealed record PoolSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("status")] string Status);

internal sealed record PoolsResponse([property: JsonPropertyName("pools")] IReadOnlyList<PoolSummary> Pools);

/// <summary><c>GET /api/v1/pools/{name}</c>: what <c>bkctl status</c> shows.</summary>
internal sealed record PoolResponse
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("namespace")]
    public required string Namespace { get; init; }

    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    [JsonPropertyName("phase")]
    public required string Phase { get; init; }

    [JsonPropertyName("ready")]
    public required bool Ready { get; init; }

    [JsonPropertyName("workers")]
    public Core.Api.V1Alpha1.WorkersStatus? Workers { get; init; }

    [JsonPropertyName("gateway")]
    public Core.Api.V1Alpha1.GatewayStatus? Gateway { get; init; }

    [JsonPropertyName("queued")]
    public int Queued { get; init; }
}

internal sealed record WakeResponse(
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("poolName")] string PoolName,
    [property: JsonPropertyName("ready")] bool Ready);

/// <summary><c>POST /api/v1/certs/request</c>.</summary>
internal sealed record CertificateRequestBody
{
    [JsonPropertyName("pools")]
    public List<string>? Pools { get; init; }

    [JsonPropertyName("duration")]
    public string? Duration { get; init; }

    [JsonPropertyName("csr")]
    public string? Csr { get; init; }
}

/// <summary>Answer of <c>/certs/request</c>: raw PEM strings (upstream's format for this endpoint).</summary>
internal sealed record CertificateResponse(
    [property: JsonPropertyName("caCert")] string CaCert,
    [property: JsonPropertyName("clientCert")] string ClientCert,
    [property: JsonPropertyName("clientKey")] string ClientKey,
    [property: JsonPropertyName("endpoints")] Dictionary<string, string> Endpoints);

/// <summary>Legacy <c>POST /api/v1/allocate</c>.</summary>
internal sealed record LegacyAllocateRequest
{
    [JsonPropertyName("poolName")]
    public string? PoolName { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("duration")]
    public string? Duration { get; init; }

    [JsonPropertyName("jobId")]
    public string? JobId { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("useExistingCerts")]
    public bool? UseExistingCerts { get; init; }

    [JsonPropertyName("certSecretName")]
    public string? CertSecretName { get; init; }
}

internal sealed record LegacyAllocateResponse
{
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    [JsonPropertyName("caCert")]
    public required string CaCert { get; init; }

    [JsonPropertyName("clientCert")]
    public required string ClientCert { get; init; }

    [JsonPropertyName("clientKey")]
    public required string ClientKey { get; init; }

    [JsonPropertyName("poolName")]
    public required string PoolName { get; init; }

    [JsonPropertyName("ready")]
    public required bool Ready { get; init; }

    [JsonPropertyName("workerName")]
    public required string WorkerName { get; init; }

    [JsonPropertyName("allocationToken")]
    public required string AllocationToken { get; init; }
}

/// <summary>Every error: <c>{"error":{"code","message","requestId"}}</c>.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorBody Error);

internal sealed record ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("requestId")] string RequestId);
