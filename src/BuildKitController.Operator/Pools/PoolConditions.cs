namespace BuildKitController.Operator.Pools;

/// <summary>Condition types and reasons on <c>BuildKitPool.status.conditions</c>.</summary>
internal static class PoolConditions
{
    public const string Ready = "Ready";
    public const string UnsupportedFields = "UnsupportedFields";
    public const string ExternalAccess = "ExternalAccess";

    public const string GatewayReady = "GatewayReady";
    public const string GatewayNotReady = "GatewayNotReady";
    public const string GatewayDisabled = "GatewayDisabled";
    public const string InvalidSpec = "InvalidSpec";
    public const string CertificateAuthorityInvalid = "CertificateAuthorityInvalid";
    public const string AllSupported = "AllSupported";
    public const string FieldsIgnored = "FieldsIgnored";
    public const string Applied = "Applied";
    public const string NotAllowed = "NotAllowed";
}
