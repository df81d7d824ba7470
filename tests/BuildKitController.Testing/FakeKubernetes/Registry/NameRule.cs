namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>Which name validation a kind applies to <c>metadata.name</c>.</summary>
internal enum NameRule
{
    /// <summary>DNS-1123 subdomain (most kinds).</summary>
    Subdomain,

    /// <summary>DNS-1123 label (namespaces).</summary>
    Label,

    /// <summary>DNS-1035 label (services).</summary>
    Dns1035Label,
}
