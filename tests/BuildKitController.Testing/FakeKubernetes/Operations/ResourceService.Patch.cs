using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Apply;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>PATCH: JSON patch, merge patch, strategic merge patch and server-side apply.</summary>
internal sealed partial class ResourceService
{
    /// <summary>Applies a patch; returns the result and whether an apply created the object.</summary>
    public (JsonObject Object, bool Created) Patch(WriteRequest request, PatchType type, JsonNode? patch, bool? force)
    {
        if (type == PatchType.Apply && request.FieldManager.Length == 0)
        {
            throw ApiErrors.Invalid("PatchOptions", "meta.k8s.io", "", [FieldError.Required("fieldManager", "is required for apply patch")]);
        }

        if (type != PatchType.Apply && force is not null)
        {
            throw ApiErrors.Invalid("PatchOptions", "meta.k8s.io", "", [FieldError.Forbidden("force", "may not be specified for non-apply patch")]);
        }

        IReadOnlyList<JsonObject>? operations = null;
        JsonObject? patchObject = null;
        try
        {
            if (type == PatchType.JsonPatch)
            {
                operations = JsonPatch.Decode(patch);
            }
            else
            {
                patchObject = patch as JsonObject ?? throw new FormatException("json: cannot unmarshal array into Go value of type map[string]interface {}");
            }
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }

        if (type == PatchType.Apply)
        {
            return ApplyPatch(request, patchObject!, force ?? false);
        }

        return (GuaranteedUpdate(request, old =>
        {
            JsonObject patched;
            try
            {
                patched = type switch
                {
                    PatchType.JsonPatch => JsonPatch.Apply(old, operations!) as JsonObject ?? throw new PatchException("the patched document is not an object"),
                    PatchType.MergePatch => (JsonObject)JsonMergePatch.Apply(old, patchObject)!,
                    _ => StrategicMergePatch.Apply(old, patchObject!, request.Resource.ListSemantics),
                };
            }
            catch (PatchException e) when (type == PatchType.JsonPatch)
            {
                throw new ApiException(422, StatusReasons.Invalid, "the server rejected our request due to an error in our request",
                    new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = e.Message }) });
            }
            catch (PatchException e)
            {
                throw ApiErrors.BadRequest(e.Message);
            }

            if (patched.MetaString("resourceVersion") is { Length: > 0 } requested && requested != old.MetaString("resourceVersion"))
            {
                throw ApiErrors.StaleResourceVersion(request.Resource.Type, request.Name);
            }

            CheckUid(request, old, patched);
            if (patched.Name() != old.Name() || (request.Resource.Namespaced && patched.Namespace() != old.Namespace()))
            {
                throw ApiErrors.BadRequest($"the name of the object ({patched.Name()}) does not match the name on the URL ({request.Name})");
            }

            var managers = BaseManagers(old, patched);
            return PrepareUpdate(request, old, ApplySubresourceRules(request, old, patched), managers);
        }), false);
    }

    private (JsonObject Object, bool Created) ApplyPatch(WriteRequest request, JsonObject applied, bool force)
    {
        var type = request.Resource.Type;
        var apiVersion = applied.GetString("apiVersion");
        var kind = applied.GetString("kind");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw ApiErrors.BadRequest(string.IsNullOrEmpty(kind) ? "Object 'Kind' is missing in '" + applied.ToJsonString() + "'" : "Object 'apiVersion' is missing in '" + applied.ToJsonString() + "'");
        }

        var scoped = ScopeApplied(request, applied.CloneObject());
        CheckIdentity(request, scoped, requireName: true);
        var metadata = scoped.Metadata();
        var requestedVersion = metadata.GetString("resourceVersion");
        foreach (var key in new[] { "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "selfLink" })
        {
            metadata.Remove(key);
        }

        // Like GuaranteedUpdate (compute outside the gate, commit if unchanged), with the create branch of apply.
        while (true)
        {
            JsonObject? old;
            lock (store.Gate)
            {
                old = store.Get(request.Resource, request.Namespace, request.Name);
            }

            if (!string.IsNullOrEmpty(requestedVersion) && requestedVersion != old?.MetaString("resourceVersion"))
            {
                throw old is null ? ApiErrors.NotFound(type, request.Name) : ApiErrors.StaleResourceVersion(type, request.Name);
            }

            var fieldRequest = FieldRequest(request);
            if (old is null)
            {
                if (request.IsStatus)
                {
                    throw ApiErrors.NotFound(type, request.Name);
                }

                lock (store.Gate)
                {
                    if (!store.Contains(request.Resource, request.Namespace, request.Name))
                    {
                        var created = FieldManager.Apply(null, scoped.CloneObject(), fieldRequest, force);
                        return (CreateLocked(request, created, managedFieldsPreset: true), true);
                    }
                }

                continue;
            }

            var merged = FieldManager.Apply(old, scoped.CloneObject(), fieldRequest, force);
            var prepared = PrepareUpdate(request, old, ApplySubresourceRules(request, old, merged), managers: null);
            lock (store.Gate)
            {
                if (store.VersionOf(request.Resource, request.Namespace, request.Name) == old.ResourceVersion())
                {
                    return (StoreUpdateLocked(request, old, prepared), false);
                }
            }
        }
    }

    /// <summary>The part of an applied configuration the endpoint may change: status only on /status, no status on the main resource when it has the subresource.</summary>
    private static JsonObject ScopeApplied(WriteRequest request, JsonObject applied)
    {
        if (request.IsStatus)
        {
            var scoped = new JsonObject
            {
                ["apiVersion"] = applied["apiVersion"]?.DeepClone(),
                ["kind"] = applied["kind"]?.DeepClone(),
                ["metadata"] = new JsonObject
                {
                    ["name"] = applied.MetaString("name"),
                    ["namespace"] = applied.MetaString("namespace"),
                    ["resourceVersion"] = applied.MetaString("resourceVersion"),
                },
            };
            if (applied["status"] is { } status)
            {
                scoped["status"] = status.DeepClone();
            }

            RemoveNulls(scoped.Metadata());
            return scoped;
        }

        if (request.Resource.HasStatus)
        {
            applied.Remove("status");
        }

        return applied;
    }

    private static void RemoveNulls(JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }
    }
}
