namespace BuildKitController.Operator.Pki;

/// <summary>A certificate a pool plan issued: its kind (<c>pool-client-ca</c>, <c>gateway-server</c>, …), serial and expiry, for the log.</summary>
internal sealed record IssuedPoolCertificate(string Kind, string SerialNumber, DateTimeOffset NotAfter);
