namespace BuildKitController.Testing.FakeKubernetes.Gc;

/// <summary>How the garbage collector sees one owner of a dependent.</summary>
internal enum OwnerState
{
    /// <summary>The owner exists and is not being deleted in the foreground.</summary>
    Solid,

    /// <summary>No object with the owner's uid exists.</summary>
    Dangling,

    /// <summary>The owner is being deleted in the foreground and waits for its dependents.</summary>
    WaitingForDependents,
}
