using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Apply;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Selectors;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>
/// The registry/storage layer of the API server: create, read, list, update, delete with the real server's
/// metadata rules (uid, generation, resourceVersion, finalizers, status subresource, managedFields).
/// </summary>
internal sealed partial class ResourceService(ObjectStore store, ResourceRegistry registry, TimeProvider time, ServiceSettings settings)
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int GenerateNameAttempts = 8;

    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    /// <summary>The current stored state (read-only; <see cref="StoredObject.ToNode"/> for a tree to change).</summary>
    public StoredObject Get(RegisteredResource resource, string ns, string name)
    {
        lock (store.Gate)
        {
            return store.GetStored(resource, ns, name) ?? throw ApiErrors.NotFound(resource.Type, name);
        }
    }

    public ListPage List(RegisteredResource resource, string? ns, LabelSelectorQuery labels, FieldSelectorQuery fields, long limit, string? continueToken)
    {
        IReadOnlyList<StoredObject> candidates;
        long listVersion;
        string? startKey = null;
        lock (store.Gate)
        {
            if (!string.IsNullOrEmpty(continueToken))
            {
                (listVersion, startKey) = ContinueToken.Decode(continueToken);
                try
                {
                    candidates = store.SnapshotAt(resource, ns, listVersion);
                }
                catch (ApiException e) when (e.Code == 410)
                {
                    throw;
                }
            }
            else
            {
                listVersion = store.CurrentResourceVersion;
                candidates = [.. store.StoredItems(resource, ns)];
            }
        }

        var matching = candidates
            .Where(o => startKey is null || string.CompareOrdinal(o.ItemKey, startKey) >= 0)
            .Where(o => (labels.IsEmpty || labels.Matches(o.Labels())) && fields.Matches(o))
            .ToList();
        if (limit <= 0 || matching.Count <= limit)
        {
            return new ListPage(matching, listVersion, null, null);
        }

        var page = matching.Take((int)Math.Min(limit, int.MaxValue)).ToList();
        var last = page[^1];
        var token = ContinueToken.Encode(listVersion, last.ItemKey);
        long? remaining = labels.IsEmpty && fields.IsEmpty ? matching.Count - page.Count : null;
        return new ListPage(page, listVersion, token, remaining);
    }

    public JsonObject Create(WriteRequest request, JsonObject body)
    {
        var candidate = body.CloneObject();
        CheckIdentity(request, candidate, requireName: false);
        lock (store.Gate)
        {
            return CreateLocked(request, candidate, managedFieldsPreset: false);
        }
    }

    public JsonObject Update(WriteRequest request, JsonObject body)
    {
        var first = body.CloneObject();
        CheckIdentity(request, first, requireName: true);
        var attempts = 0;
        return GuaranteedUpdate(request, old =>
        {
            // Each attempt changes its candidate: a retry starts again from the body.
            var candidate = attempts++ == 0 ? first : body.CloneObject();
            CheckIdentity(request, candidate, requireName: true);
            var requested = candidate.MetaString("resourceVersion");
            if (string.IsNullOrEmpty(requested))
            {
                if (request.Resource.IsCustom)
                {
                    throw ApiErrors.Invalid(request.Resource.Type, request.Name,
                        [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
                }
            }
            else if (requested != old.MetaString("resourceVersion"))
            {
                throw ApiErrors.StaleResourceVersion(request.Resource.Type, request.Name);
            }

            CheckUid(request, old, candidate);
            var managers = BaseManagers(old, candidate);
            return PrepareUpdate(request, old, ApplySubresourceRules(request, old, candidate), managers);
        });
    }

    public DeleteOutcome Delete(WriteRequest request, DeleteRequestOptions options)
    {
        lock (store.Gate)
        {
            var old = store.Get(request.Resource, request.Namespace, request.Name) ?? throw ApiErrors.NotFound(request.Resource.Type, request.Name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != old.Uid())
            {
                throw ApiErrors.Conflict(request.Resource.Type, request.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {old.Uid()}");
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != old.MetaString("resourceVersion"))
            {
                throw ApiErrors.Conflict(request.Resource.Type, request.Name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {old.MetaString("resourceVersion")}");
            }

            var finalizers = old.Finalizers().ToList();
            var policy = options.PropagationPolicy ?? options.OrphanDependents switch
            {
                true => "Orphan",
                false => "Background",
                null => null,
            };
            switch (policy)
            {
                case "Orphan":
                    finalizers.Remove(Finalizers.ForegroundDeletion);
                    AddOnce(finalizers, Finalizers.Orphan);
                    break;
                case "Foreground":
                    finalizers.Remove(Finalizers.Orphan);
                    AddOnce(finalizers, Finalizers.ForegroundDeletion);
                    break;
                case "Background":
                    finalizers.Remove(Finalizers.Orphan);
                    finalizers.Remove(Finalizers.ForegroundDeletion);
                    break;
                case null:
                    break;
                default:
                    throw ApiErrors.Invalid("DeleteOptions", "meta.k8s.io", "",
                        [new FieldError("FieldValueNotSupported", "propagationPolicy", $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]);
            }

            if (finalizers.Count == 0 && !HasNamespaceFinalizers(request.Resource, old))
            {
                RemoveLocked(request.Resource, old);
                return new DeleteOutcome(old, Deleted: true);
            }

            var candidate = old.CloneObject();
            var metadata = candidate.Metadata();
            if (!old.IsBeingDeleted())
            {
                metadata["deletionTimestamp"] = KubeTime.Format(time.GetUtcNow());
                metadata["deletionGracePeriodSeconds"] = 0;
                metadata["generation"] = Generation(old) + 1;
                if (IsNamespaces(request.Resource))
                {
                    (candidate["status"] as JsonObject ?? (JsonObject)(candidate["status"] = new JsonObject()))["phase"] = "Terminating";
                }
            }

            candidate.SetFinalizers(finalizers);
            if (JsonAccess.DeepEquals(candidate, old))
            {
                return new DeleteOutcome(old, Deleted: false);
            }

            metadata["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
            store.Put(request.Resource, candidate);
            return new DeleteOutcome(candidate, Deleted: false);
        }
    }

    /// <summary>Stores an object as given (tests' seeding), filling only what storage needs; no validation.</summary>
    public JsonObject Seed(RegisteredResource resource, JsonObject obj)
    {
        var candidate = obj.CloneObject();
        candidate["apiVersion"] ??= resource.Type.ApiVersion;
        candidate["kind"] ??= resource.Type.Kind;
        var metadata = candidate.Metadata();
        if (!resource.Namespaced)
        {
            metadata.Remove("namespace");
        }

        lock (store.Gate)
        {
            var old = store.Get(resource, candidate.Namespace(), candidate.Name());
            metadata["uid"] ??= old?.Uid() ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= old?.MetaString("creationTimestamp") ?? KubeTime.Format(time.GetUtcNow());
            metadata["generation"] ??= 1;
            metadata["resourceVersion"] = ObjectStore.FormatVersion(store.NextResourceVersion());
            store.Put(resource, candidate);
            OnStored(resource, candidate, old);
            return candidate;
        }
    }

    /// <summary>Read-modify-write by the server's own controllers (garbage collector, namespace lifecycle).</summary>
    public JsonObject? Mutate(RegisteredResource resource, string ns, string name, string expectedUid, string manager, Func<JsonObject, bool> mutate)
    {
        lock (store.Gate)
        {
            var old = store.Get(resource, ns, name);
            if (old is null || old.Uid() != expectedUid)
            {
                return null;
            }

            var candidate = old.CloneObject();
            if (!mutate(candidate))
            {
                return old;
            }

            var request = new WriteRequest(resource, ns, name, null, manager);
            return CommitUpdate(request, old, candidate, ManagedFieldsCodec.Decode(old));
        }
    }

    private static void AddOnce(List<string> finalizers, string finalizer)
    {
        if (!finalizers.Contains(finalizer))
        {
            finalizers.Add(finalizer);
        }
    }

    private static long Generation(JsonObject obj) =>
        obj.MetadataOrNull()?["generation"] is JsonValue value
        && long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            ? generation
            : 0;

    private static bool IsNamespaces(RegisteredResource resource) =>
        resource.Type.Group.Length == 0 && resource.Type.Plural == Namespace.Resource.Plural;

    private static bool HasNamespaceFinalizers(RegisteredResource resource, JsonObject obj) =>
        IsNamespaces(resource) && JsonAccess.StringList((obj["spec"] as JsonObject)?["finalizers"]).Count > 0;

    private string Now() => KubeTime.Format(time.GetUtcNow());
}
