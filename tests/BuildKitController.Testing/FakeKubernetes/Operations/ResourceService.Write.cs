using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Apply;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>The shared write pipeline: create, commit of an update, removal, and their side effects.</summary>
internal sealed partial class ResourceService
{
    private static readonly string[] SystemMetadata = ["uid", "creationTimestamp", "name", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds"];

    private JsonObject CreateLocked(WriteRequest request, JsonObject candidate, bool managedFieldsPreset)
    {
        var resource = request.Resource;
        var metadata = candidate.Metadata();
        if (resource.Namespaced)
        {
            EnsureNamespaceWritable(resource, request.Namespace, candidate.Name());
        }

        var generated = candidate.Name().Length == 0 && metadata.GetString("generateName") is { Length: > 0 };
        if (generated)
        {
            metadata["name"] = GenerateName(metadata.GetString("generateName")!);
        }

        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        metadata.Remove("resourceVersion");
        if (resource.HasStatus)
        {
            candidate.Remove("status");
        }

        ApplyCreateDefaults(resource, candidate);
        Normalize(candidate);
        Validate(resource, candidate, null);

        for (var attempt = 1; store.Contains(resource, request.Namespace, candidate.Name()); attempt++)
        {
            if (!generated || attempt >= GenerateNameAttempts)
            {
                throw ApiErrors.AlreadyExists(resource.Type, candidate.Name());
            }

            metadata["name"] = GenerateName(metadata.GetString("generateName")!);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata["generation"] = 1;
        if (!managedFieldsPreset)
        {
            var managers = BaseManagers(null, candidate);
            metadata.Remove("managedFields");
            FieldManager.RecordUpdate(managers, null, candidate, FieldRequest(request));
        }

        metadata["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
        store.Put(resource, candidate);
        OnStored(resource, candidate, null);
        return candidate;
    }

    /// <summary>Validates and stores an update of <paramref name="old"/>; null <paramref name="managers"/> means managedFields are already final.</summary>
    private JsonObject CommitUpdate(WriteRequest request, JsonObject old, JsonObject candidate, IReadOnlyList<ManagedFieldsEntry>? managers) =>
        StoreUpdateLocked(request, old, PrepareUpdate(request, old, candidate, managers));

    /// <summary>
    /// A read-compute-commit update, the way the API server's guaranteed update works against etcd: the stored object
    /// is read under the gate, the new state is computed from it outside the gate (patching, validation, managed
    /// fields: the expensive part), and stored under the gate only if the object is still the one read (every write
    /// takes a fresh resourceVersion, so an unchanged version is the check); otherwise it is computed again from the fresh object. Writes to
    /// different objects no longer wait for each other's computation.
    /// </summary>
    private JsonObject GuaranteedUpdate(WriteRequest request, Func<JsonObject, JsonObject> prepare)
    {
        while (true)
        {
            JsonObject? old;
            lock (store.Gate)
            {
                old = store.Get(request.Resource, request.Namespace, request.Name);
            }

            if (old is null)
            {
                throw ApiErrors.NotFound(request.Resource.Type, request.Name);
            }

            var prepared = prepare(old);
            lock (store.Gate)
            {
                if (store.VersionOf(request.Resource, request.Namespace, request.Name) == old.ResourceVersion())
                {
                    return StoreUpdateLocked(request, old, prepared);
                }
            }
        }
    }

    /// <summary>The validated new state of <paramref name="old"/>, or <paramref name="old"/> itself when nothing changes. Touches no shared state.</summary>
    private JsonObject PrepareUpdate(WriteRequest request, JsonObject old, JsonObject candidate, IReadOnlyList<ManagedFieldsEntry>? managers)
    {
        var resource = request.Resource;
        var metadata = candidate.Metadata();
        var oldMetadata = old.Metadata();
        foreach (var key in SystemMetadata)
        {
            if (oldMetadata[key] is { } value)
            {
                metadata[key] = value.DeepClone();
            }
            else
            {
                metadata.Remove(key);
            }
        }

        metadata.Remove("selfLink");
        candidate["apiVersion"] = old["apiVersion"]?.DeepClone();
        candidate["kind"] = old["kind"]?.DeepClone();
        if (old.IsBeingDeleted())
        {
            var added = candidate.Finalizers().Except(old.Finalizers(), StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                throw ApiErrors.Invalid(resource.Type, request.Name,
                    [FieldError.Forbidden("metadata.finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}")]);
            }
        }

        Normalize(candidate);
        Validate(resource, candidate, old);
        metadata["generation"] = Generation(old) + (SpecChanged(old, candidate) ? 1 : 0);
        if (managers is not null)
        {
            metadata.Remove("managedFields");
            FieldManager.RecordUpdate(managers, old, candidate, FieldRequest(request));
        }

        metadata["resourceVersion"] = oldMetadata["resourceVersion"]?.DeepClone();
        return JsonAccess.DeepEquals(candidate, old) ? old : candidate;
    }

    /// <summary>Stores a prepared update of <paramref name="old"/> (nothing when it is <paramref name="old"/> itself); the gate must be held.</summary>
    private JsonObject StoreUpdateLocked(WriteRequest request, JsonObject old, JsonObject prepared)
    {
        if (ReferenceEquals(prepared, old))
        {
            return old;
        }

        var resource = request.Resource;
        prepared.Metadata()["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
        store.Put(resource, prepared);
        OnStored(resource, prepared, old);
        if (prepared.IsBeingDeleted() && prepared.Finalizers().Count == 0 && !HasNamespaceFinalizers(resource, prepared))
        {
            RemoveLocked(resource, prepared);
        }

        return prepared;
    }

    private void RemoveLocked(RegisteredResource resource, JsonObject current)
    {
        var tombstone = current.CloneObject();
        tombstone.Metadata()["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
        store.Remove(resource, tombstone);
        OnRemoved(resource, current);
    }

    /// <summary>Status writes keep everything but status; main-resource writes keep the stored status.</summary>
    private static JsonObject ApplySubresourceRules(WriteRequest request, JsonObject old, JsonObject candidate)
    {
        if (request.IsStatus)
        {
            var result = old.CloneObject();
            if (candidate["status"] is { } status)
            {
                result["status"] = status.DeepClone();
            }
            else
            {
                result.Remove("status");
            }

            if (candidate.MetadataOrNull()?["managedFields"] is { } managedFields)
            {
                result.Metadata()["managedFields"] = managedFields.DeepClone();
            }

            return result;
        }

        if (request.Resource.HasStatus)
        {
            if (old["status"] is { } status)
            {
                candidate["status"] = status.DeepClone();
            }
            else
            {
                candidate.Remove("status");
            }
        }

        return candidate;
    }

    /// <summary>
    /// The managers a non-apply write starts from: the body's managedFields when it sets some (<c>[{}]</c> resets them),
    /// otherwise the stored ones (an empty list is ignored on purpose, like the real server).
    /// </summary>
    private static List<ManagedFieldsEntry> BaseManagers(JsonObject? old, JsonObject candidate)
    {
        if (candidate.MetadataOrNull()?["managedFields"] is JsonArray { Count: > 0 } given
            && !JsonAccess.DeepEquals(given, old?.MetadataOrNull()?["managedFields"]))
        {
            return [.. ManagedFieldsCodec.Decode(candidate).Where(e => e.Manager.Length > 0 && !e.Fields.IsEmpty)];
        }

        return ManagedFieldsCodec.Decode(old);
    }

    private static void CheckIdentity(WriteRequest request, JsonObject candidate, bool requireName)
    {
        var type = request.Resource.Type;
        var apiVersion = candidate.GetString("apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        var kind = candidate.GetString("kind");
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        candidate["apiVersion"] = type.ApiVersion;
        candidate["kind"] = type.Kind;
        var metadata = candidate.Metadata();
        var bodyNamespace = candidate.Namespace();
        if (request.Resource.Namespaced)
        {
            if (bodyNamespace.Length > 0 && bodyNamespace != request.Namespace)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = request.Namespace;
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (requireName)
        {
            var name = candidate.Name();
            if (name.Length == 0)
            {
                metadata["name"] = request.Name;
            }
            else if (name != request.Name)
            {
                throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
            }
        }
    }

    private static void CheckUid(WriteRequest request, JsonObject old, JsonObject candidate)
    {
        if (candidate.Uid() is { Length: > 0 } uid && uid != old.Uid())
        {
            throw ApiErrors.Conflict(request.Resource.Type, request.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {old.Uid()}");
        }
    }

    private void EnsureNamespaceWritable(RegisteredResource resource, string ns, string name)
    {
        if (!settings.EnforceNamespaces)
        {
            return;
        }

        var namespaces = registry.Find("", "v1", Namespace.Resource.Plural)!;
        var owner = store.Get(namespaces, "", ns) ?? throw ApiErrors.NotFound(namespaces.Type, ns);
        if (owner.IsBeingDeleted())
        {
            throw ApiErrors.Forbidden(resource.Type, name, $"unable to create new content in namespace {ns} because it is being terminated",
                [new JsonObject { ["reason"] = "NamespaceTerminating", ["message"] = $"namespace {ns} is being terminated", ["field"] = "metadata.namespace" }]);
        }
    }

    private static string GenerateName(string prefix)
    {
        var suffix = new char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = NameAlphabet[Random.Shared.Next(NameAlphabet.Length)];
        }

        var trimmed = prefix.Length > 58 ? prefix[..58] : prefix;
        return trimmed + new string(suffix);
    }

    private static void ApplyCreateDefaults(RegisteredResource resource, JsonObject candidate)
    {
        if (IsNamespaces(resource))
        {
            var spec = candidate["spec"] as JsonObject ?? (JsonObject)(candidate["spec"] = new JsonObject());
            if (JsonAccess.StringList(spec["finalizers"]).Count == 0)
            {
                spec["finalizers"] = new JsonArray(Finalizers.NamespaceKubernetes);
            }

            candidate["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (resource.Type.Group.Length == 0 && resource.Type.Plural == Pod.Resource.Plural)
        {
            candidate["status"] = new JsonObject { ["phase"] = "Pending" };
        }
    }

    /// <summary>Drops empty metadata collections, as the typed ObjectMeta encoding does (omitempty).</summary>
    private static void Normalize(JsonObject candidate)
    {
        var metadata = candidate.Metadata();
        foreach (var key in new[] { "labels", "annotations" })
        {
            if (metadata[key] is JsonObject { Count: 0 } || (metadata.ContainsKey(key) && metadata[key] is null))
            {
                metadata.Remove(key);
            }
        }

        foreach (var key in new[] { "finalizers", "ownerReferences", "managedFields" })
        {
            if (metadata[key] is JsonArray { Count: 0 } || (metadata.ContainsKey(key) && metadata[key] is null))
            {
                metadata.Remove(key);
            }
        }
    }

    private static void Validate(RegisteredResource resource, JsonObject candidate, JsonObject? old)
    {
        var errors = MetadataValidation.Validate(resource, candidate);
        if (CustomResourceDefinitionReader.IsDefinition(resource) && errors.Count == 0)
        {
            errors.AddRange(CustomResourceDefinitionReader.Validate(candidate));
        }

        if (errors.Count == 0 && resource.SchemaValidator is { } validator)
        {
            errors.AddRange(validator.Validate(candidate, old));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(resource.Type, candidate.Name(), errors);
        }
    }

    private static bool SpecChanged(JsonObject old, JsonObject candidate)
    {
        foreach (var key in old.Select(p => p.Key).Union(candidate.Select(p => p.Key), StringComparer.Ordinal))
        {
            if (key is "metadata" or "status" or "apiVersion" or "kind")
            {
                continue;
            }

            if (!JsonAccess.DeepEquals(old[key], candidate[key]))
            {
                return true;
            }
        }

        return false;
    }

    private FieldManagerRequest FieldRequest(WriteRequest request) =>
        new(request.FieldManager, request.Resource.Type.ApiVersion, request.Subresource, Now(), request.Resource.ListSemantics);

    private void OnStored(RegisteredResource resource, JsonObject stored, JsonObject? old)
    {
        if (!CustomResourceDefinitionReader.IsDefinition(resource) || stored.IsBeingDeleted())
        {
            return;
        }

        foreach (var served in CustomResourceDefinitionReader.Read(stored))
        {
            served.SchemaValidator = served.Schema is { } schema ? settings.SchemaValidatorFactory?.Invoke(schema) : null;
            registry.Register(served);
        }

        if (old is null)
        {
            var accepted = stored.CloneObject();
            accepted["status"] = CustomResourceDefinitionReader.AcceptedStatus(stored, time.GetUtcNow());
            accepted.Metadata()["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
            store.Put(resource, accepted);
        }
    }

    private void OnRemoved(RegisteredResource resource, JsonObject removed)
    {
        if (!CustomResourceDefinitionReader.IsDefinition(resource))
        {
            return;
        }

        foreach (var served in registry.UnregisterDefinition(removed.Name()).GroupBy(r => r.StorageKey).Select(g => g.First()))
        {
            foreach (var item in store.Items(served, null).ToList())
            {
                RemoveLocked(served, item);
            }
        }
    }
}
