namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>How a list merges (<c>x-kubernetes-list-type</c>).</summary>
internal enum ListType
{
    /// <summary>Replaced as a whole.</summary>
    Atomic,

    /// <summary>A set of scalar values.</summary>
    Set,

    /// <summary>An associative list keyed by one or more fields.</summary>
    Map,
}
