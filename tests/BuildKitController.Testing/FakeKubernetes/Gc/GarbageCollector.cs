using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Controllers;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Operations;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Gc;

/// <summary>
/// The kube-controller-manager's garbage collector and namespace controller, run in the background from the
/// store's event stream: deletes dependents whose owners are all gone, orphans dependents (<c>orphan</c>
/// finalizer), deletes dependents first (<c>foregroundDeletion</c>), and empties terminating namespaces.
/// </summary>
internal sealed class GarbageCollector(ResourceService service, bool enabled) : StoreEventProcessor(service.Store, enabled)
{
    private const string Manager = "kube-controller-manager";

    private readonly ResourceService _service = service;
    private readonly Dictionary<string, Dictionary<string, DependentReference>> _dependents = new(StringComparer.Ordinal);

    protected override void Process(StoredEvent change)
    {
        UpdateIndex(change);
        var obj = change.Object.ToNode();
        if (change.Type != WatchEventType.Deleted)
        {
            if (OwnerReferences(obj).Count > 0)
            {
                AttemptToDelete(Reference(change.Resource, obj));
            }

            if (obj.IsBeingDeleted())
            {
                ProcessDeletingOwner(obj.Uid());
                if (IsNamespaces(change.Resource))
                {
                    ProcessNamespace(obj.Name());
                }
            }

            return;
        }

        var uid = obj.Uid();
        if (_dependents.Remove(uid, out var dependents))
        {
            foreach (var dependent in dependents.Values)
            {
                AttemptToDelete(dependent);
            }
        }

        foreach (var owner in OwnerReferences(obj))
        {
            if (owner.GetString("uid") is { } ownerUid)
            {
                ProcessDeletingOwner(ownerUid);
            }
        }

        if (obj.Namespace() is { Length: > 0 } ns)
        {
            ProcessNamespace(ns);
        }
    }

    private void UpdateIndex(StoredEvent change)
    {
        if (change.Previous is { } previous)
        {
            foreach (var owner in OwnerReferences(previous.ToNode()))
            {
                if (owner.GetString("uid") is { } uid && _dependents.TryGetValue(uid, out var set))
                {
                    set.Remove(previous.Uid);
                }
            }
        }

        if (change.Type == WatchEventType.Deleted)
        {
            return;
        }

        var obj = change.Object.ToNode();
        foreach (var owner in OwnerReferences(obj))
        {
            if (owner.GetString("uid") is not { } uid)
            {
                continue;
            }

            if (!_dependents.TryGetValue(uid, out var set))
            {
                set = new Dictionary<string, DependentReference>(StringComparer.Ordinal);
                _dependents[uid] = set;
            }

            set[change.Object.Uid] = Reference(change.Resource, obj);
        }
    }

    private void AttemptToDelete(DependentReference dependent)
    {
        JsonObject? current;
        var states = new Dictionary<string, OwnerState>(StringComparer.Ordinal);
        lock (_service.Store.Gate)
        {
            current = _service.Store.Get(dependent.Resource, dependent.Namespace, dependent.Name);
            if (current is null || current.Uid() != dependent.Uid || current.IsBeingDeleted())
            {
                return;
            }

            foreach (var owner in OwnerReferences(current))
            {
                var uid = owner.GetString("uid") ?? "";
                var found = _service.Store.FindByUid(uid);
                states[uid] = found is null
                    ? OwnerState.Dangling
                    : found.Value.Object.IsBeingDeleted() && found.Value.Object.Finalizers().Contains(Finalizers.ForegroundDeletion)
                        ? OwnerState.WaitingForDependents
                        : OwnerState.Solid;
            }
        }

        if (states.Values.All(s => s == OwnerState.Solid))
        {
            return;
        }

        if (states.Values.Any(s => s == OwnerState.Solid))
        {
            var remove = states.Where(s => s.Value != OwnerState.Solid).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
            _service.Mutate(dependent.Resource, dependent.Namespace, dependent.Name, dependent.Uid, Manager, obj => RemoveOwners(obj, remove));
            return;
        }

        var policy = states.Values.Any(s => s == OwnerState.WaitingForDependents) ? "Foreground" : "Background";
        Delete(dependent, policy);
    }

    private void ProcessDeletingOwner(string uid)
    {
        var found = Find(uid);
        if (found is not { } owner || !owner.Object.IsBeingDeleted())
        {
            return;
        }

        var finalizers = owner.Object.Finalizers();
        var dependents = _dependents.TryGetValue(uid, out var set) ? set.Values.ToList() : [];
        if (finalizers.Contains(Finalizers.Orphan))
        {
            var ownerUid = new HashSet<string>(StringComparer.Ordinal) { uid };
            foreach (var dependent in dependents)
            {
                _service.Mutate(dependent.Resource, dependent.Namespace, dependent.Name, dependent.Uid, Manager, obj => RemoveOwners(obj, ownerUid));
            }

            RemoveFinalizer(owner.Resource, owner.Object, Finalizers.Orphan);
            return;
        }

        if (!finalizers.Contains(Finalizers.ForegroundDeletion))
        {
            return;
        }

        var blocked = false;
        foreach (var dependent in dependents)
        {
            AttemptToDelete(dependent);
            if (Find(dependent.Uid) is { } still
                && OwnerReferences(still.Object).Any(o => o.GetString("uid") == uid && o["blockOwnerDeletion"]?.GetValueKind() == JsonValueKind.True))
            {
                blocked = true;
            }
        }

        if (!blocked)
        {
            RemoveFinalizer(owner.Resource, owner.Object, Finalizers.ForegroundDeletion);
        }
    }

    private void ProcessNamespace(string ns)
    {
        var namespaces = _service.Registry.Find("", "v1", Namespace.Resource.Plural)!;
        JsonObject? nsObject;
        lock (_service.Store.Gate)
        {
            nsObject = _service.Store.Get(namespaces, "", ns);
        }

        if (nsObject is null || !nsObject.IsBeingDeleted())
        {
            return;
        }

        var remaining = false;
        foreach (var resource in _service.Registry.Stored().Where(r => r.Namespaced))
        {
            List<JsonObject> items;
            lock (_service.Store.Gate)
            {
                items = [.. _service.Store.Items(resource, ns)];
            }

            foreach (var item in items)
            {
                remaining = true;
                if (!item.IsBeingDeleted())
                {
                    Delete(Reference(resource, item), null);
                }
            }
        }

        if (remaining)
        {
            lock (_service.Store.Gate)
            {
                remaining = _service.Registry.Stored().Where(r => r.Namespaced).Any(r => _service.Store.Items(r, ns).Any());
            }
        }

        if (!remaining)
        {
            _service.Mutate(namespaces, "", ns, nsObject.Uid(), Manager, obj =>
            {
                if (obj["spec"] is JsonObject spec && spec.ContainsKey("finalizers"))
                {
                    spec.Remove("finalizers");
                    return true;
                }

                return false;
            });
        }
    }

    private void Delete(DependentReference dependent, string? policy)
    {
        try
        {
            _service.Delete(new WriteRequest(dependent.Resource, dependent.Namespace, dependent.Name, null, Manager),
                new DeleteRequestOptions(policy, null, dependent.Uid, null));
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    private void RemoveFinalizer(RegisteredResource resource, JsonObject obj, string finalizer) =>
        _service.Mutate(resource, obj.Namespace(), obj.Name(), obj.Uid(), Manager, candidate =>
        {
            var finalizers = candidate.Finalizers().Where(f => f != finalizer).ToList();
            candidate.SetFinalizers(finalizers);
            return true;
        });

    private (RegisteredResource Resource, JsonObject Object)? Find(string uid)
    {
        lock (_service.Store.Gate)
        {
            return _service.Store.FindByUid(uid);
        }
    }

    private static bool RemoveOwners(JsonObject obj, HashSet<string> uids)
    {
        if (obj.Metadata()["ownerReferences"] is not JsonArray owners)
        {
            return false;
        }

        var kept = new JsonArray([.. owners.OfType<JsonObject>().Where(o => !uids.Contains(o.GetString("uid") ?? "")).Select(o => o.DeepClone())]);
        if (kept.Count == owners.Count)
        {
            return false;
        }

        obj.Metadata()["ownerReferences"] = kept;
        return true;
    }

    private static IReadOnlyList<JsonObject> OwnerReferences(JsonObject obj) =>
        obj.MetadataOrNull()?["ownerReferences"] is JsonArray owners ? [.. owners.OfType<JsonObject>()] : [];

    private static DependentReference Reference(RegisteredResource resource, JsonObject obj) => new(resource, obj.Namespace(), obj.Name(), obj.Uid());

    private static bool IsNamespaces(RegisteredResource resource) =>
        resource.Type.Group.Length == 0 && resource.Type.Plural == Namespace.Resource.Plural;
}
