using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Storage;

/// <summary>
/// One change in the store's history. <see cref="Object"/> is the new state (for a deletion: the last state
/// stamped with the deletion's resourceVersion); <see cref="Previous"/> the state before (null for a creation).
/// </summary>
internal sealed record StoredEvent(long ResourceVersion, RegisteredResource Resource, WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public string ItemKey => Object.ItemKey;
}
