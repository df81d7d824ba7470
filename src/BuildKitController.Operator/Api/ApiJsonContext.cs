using System.Text.Json.Serialization;

namespace BuildKitController.Operator.Api;

/// <summary>Source-generated JSON for the allocation API. Unknown properties are ignored, as upstream's decoder did.</summary>
[JsonSourceGenerationOptions(MaxDepth = 16)]
[JsonSerializable(typeof(AllocateRequest))]
[JsonSerializable(typeof(AllocateResponse))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(ReleaseResponse))]
[JsonSerializable(typeof(LookupResponse))]
[JsonSerializable(typeof(PoolsResponse))]
[JsonSerializable(typeof(PoolResponse))]
[JsonSerializable(typeof(WakeResponse))]
[JsonSerializable(typeof(CertificateRequestBody))]
[JsonSerializable(typeof(CertificateResponse))]
[JsonSerializable(typeof(LegacyAllocateRequest))]
[JsonSerializable(typeof(LegacyAllocateResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(AllocationPending))]
[JsonSerializable(typeof(PollRequest))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
