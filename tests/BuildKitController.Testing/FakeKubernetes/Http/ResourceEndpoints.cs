using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Operations;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Selectors;
using BuildKitController.Testing.FakeKubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>The REST handlers of a resource: get, list, watch, create, update, patch, delete, deletecollection.</summary>
internal sealed class ResourceEndpoints(ResourceService service, WatchEndpoint watch, ReviewHandlers reviews, long maxBodyBytes)
{
    public async Task HandleAsync(HttpContext context, RequestInfo info, CancellationToken cancellationToken)
    {
        var resource = service.Registry.Find(info.Group!, info.Version!, info.Resource!) ?? throw ApiErrors.ResourceNotFound();
        if (info.HasExtraSegments || (info.Subresource is { } sub && !(sub == "status" && resource.HasStatus)))
        {
            throw ApiErrors.ResourceNotFound();
        }

        var ns = resource.Namespaced ? info.Namespace : "";
        if (!resource.Namespaced && info.Namespace.Length > 0 && info.Resource != "namespaces")
        {
            throw ApiErrors.ResourceNotFound();
        }

        var query = new QueryParameters(context.Request.Query);
        if (query.Get("dryRun") is { Length: > 0 })
        {
            throw ApiErrors.BadRequest("dryRun is not supported by the fake API server");
        }

        if (resource.IsReview)
        {
            if (info.Verb != "create")
            {
                throw ApiErrors.MethodNotAllowed(resource.Type);
            }

            var reviewBody = BodyReader.DecodeObject(await BodyReader.ReadAsync(context, maxBodyBytes, cancellationToken), allowYaml: true);
            await ReviewEndpoints.CreateAsync(context, resource, reviewBody, reviews, cancellationToken);
            return;
        }

        if (resource.Namespaced && ns.Length == 0 && info.Verb is "create" or "get" or "update" or "patch" or "delete" or "deletecollection")
        {
            throw info.Name.Length > 0 ? ApiErrors.ResourceNotFound() : ApiErrors.MethodNotAllowed(resource.Type);
        }

        var manager = FieldManagerOf(context, query);
        var write = new WriteRequest(resource, ns, info.Name, info.Subresource, manager);
        switch (info.Verb)
        {
            case "get":
                await ResponseWriter.WriteObjectAsync(context, 200, service.Get(resource, ns, info.Name).Root, resource, cancellationToken);
                break;
            case "list":
                {
                    var (labels, fields) = Selectors(query, resource);
                    var page = service.List(resource, ns, labels, fields, query.Long("limit") ?? 0, query.Get("continue"));
                    await ResponseWriter.WriteListAsync(context, resource, page, cancellationToken);
                    break;
                }

            case "watch":
                {
                    var (labels, fields) = Selectors(query, resource);
                    await watch.StreamAsync(context, resource, ns.Length == 0 ? null : ns, query, labels, fields, cancellationToken);
                    break;
                }

            case "create":
                if (info.Name.Length > 0)
                {
                    throw ApiErrors.MethodNotAllowed(resource.Type);
                }

                var created = service.Create(write, await ReadObjectAsync(context, cancellationToken));
                await ResponseWriter.WriteObjectAsync(context, 201, created, resource, cancellationToken);
                break;
            case "update":
                var updated = service.Update(write, await ReadObjectAsync(context, cancellationToken));
                await ResponseWriter.WriteObjectAsync(context, 200, updated, resource, cancellationToken);
                break;
            case "patch":
                await PatchAsync(context, write, query, cancellationToken);
                break;
            case "delete":
                await DeleteAsync(context, write, query, cancellationToken);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, write, query, cancellationToken);
                break;
            default:
                throw ApiErrors.MethodNotAllowed(resource.Type);
        }
    }

    private async Task PatchAsync(HttpContext context, WriteRequest write, QueryParameters query, CancellationToken cancellationToken)
    {
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var type = PatchTypes.Parse(mediaType);
        if (type is null || (type == PatchType.StrategicMergePatch && write.Resource.IsCustom))
        {
            throw ApiErrors.UnsupportedMediaType(PatchTypes.Accepted(write.Resource.IsCustom));
        }

        var body = await BodyReader.ReadAsync(context, maxBodyBytes, cancellationToken);
        var patch = BodyReader.Decode(body, allowYaml: type == PatchType.Apply);
        var request = type == PatchType.Apply ? write with { FieldManager = query.Get("fieldManager") ?? "" } : write;
        var (result, created) = service.Patch(request, type.Value, patch, query.Bool("force"));
        await ResponseWriter.WriteObjectAsync(context, created ? 201 : 200, result, write.Resource, cancellationToken);
    }

    private async Task DeleteAsync(HttpContext context, WriteRequest write, QueryParameters query, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsAsync(context, query, cancellationToken);
        var outcome = service.Delete(write, options);
        if (!outcome.Deleted || write.Resource.ReturnDeletedObject)
        {
            var code = !outcome.Deleted && options.OrphanDependents == false ? 202 : 200;
            await ResponseWriter.WriteObjectAsync(context, code, outcome.Object, write.Resource, cancellationToken);
            return;
        }

        var details = ApiErrors.Details(write.Resource.Type, outcome.Object.Name());
        details["uid"] = outcome.Object.Uid();
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
        await ResponseWriter.WriteObjectAsync(context, 200, status, null, cancellationToken);
    }

    private async Task DeleteCollectionAsync(HttpContext context, WriteRequest write, QueryParameters query, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsAsync(context, query, cancellationToken);
        var (labels, fields) = Selectors(query, write.Resource);
        var page = service.List(write.Resource, write.Namespace, labels, fields, 0, null);
        var deleted = new List<StoredObject>();
        foreach (var item in page.Items)
        {
            try
            {
                deleted.Add(StoredObject.From(service.Delete(write with { Name = item.Name }, options with { PreconditionUid = item.Uid }).Object));
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
            }
        }

        await ResponseWriter.WriteListAsync(context, write.Resource, page with { Items = deleted, Continue = null, RemainingItemCount = null }, cancellationToken);
    }

    private async Task<DeleteRequestOptions> DeleteOptionsAsync(HttpContext context, QueryParameters query, CancellationToken cancellationToken)
    {
        var body = await BodyReader.ReadAsync(context, maxBodyBytes, cancellationToken);
        var options = body.Length == 0 ? null : BodyReader.DecodeObject(body, allowYaml: false);
        var preconditions = options?["preconditions"] as JsonObject;
        bool? orphan = options?["orphanDependents"] is JsonValue o && o.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? o.GetValue<bool>()
            : query.Bool("orphanDependents");
        return new DeleteRequestOptions(
            options?.GetString("propagationPolicy") ?? query.Get("propagationPolicy"),
            orphan,
            preconditions?.GetString("uid"),
            preconditions?.GetString("resourceVersion"));
    }

    private async Task<JsonObject> ReadObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var mediaType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or "application/yaml" or "*/*" or ""))
        {
            throw ApiErrors.UnsupportedMediaType(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
        }

        var body = await BodyReader.ReadAsync(context, maxBodyBytes, cancellationToken);
        return BodyReader.DecodeObject(body, allowYaml: mediaType == "application/yaml");
    }

    private static (LabelSelectorQuery Labels, FieldSelectorQuery Fields) Selectors(QueryParameters query, RegisteredResource resource)
    {
        try
        {
            return (LabelSelectorQuery.Parse(query.Get("labelSelector")), FieldSelectorQuery.Parse(query.Get("fieldSelector"), resource));
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>The <c>fieldManager</c> parameter, or the User-Agent up to its first '/', as the real server derives it.</summary>
    private static string FieldManagerOf(HttpContext context, QueryParameters query)
    {
        if (query.Get("fieldManager") is { Length: > 0 } manager)
        {
            return manager;
        }

        var agent = context.Request.Headers.UserAgent.ToString().Split('/')[0];
        var printable = new string([.. agent.Where(c => !char.IsControl(c))]);
        return printable.Length > 128 ? printable[..128] : printable;
    }
}
