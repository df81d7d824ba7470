using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Create-only review resources: the request comes back with <c>status</c> filled by the configured handler.</summary>
internal static class ReviewEndpoints
{
    public static Task CreateAsync(HttpContext context, RegisteredResource resource, JsonObject body, ReviewHandlers handlers, CancellationToken cancellationToken)
    {
        JsonNode? result;
        try
        {
            if (resource.Type.Kind == TokenReview.Resource.Kind)
            {
                var review = body.Deserialize(TokenReview.JsonTypeInfo) ?? throw ApiErrors.BadRequest("empty TokenReview");
                review.Status = handlers.TokenReview(review.Spec);
                result = JsonSerializer.SerializeToNode(review, TokenReview.JsonTypeInfo);
            }
            else
            {
                var review = body.Deserialize(SubjectAccessReview.JsonTypeInfo) ?? throw ApiErrors.BadRequest("empty SubjectAccessReview");
                var spec = review.Spec;
                if (spec.ResourceAttributes is null == spec.NonResourceAttributes is null)
                {
                    throw ApiErrors.Invalid(resource.Type, "", [new FieldError("FieldValueInvalid", "spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
                }

                if (string.IsNullOrEmpty(spec.User) && (spec.Groups is null || spec.Groups.Count == 0))
                {
                    throw ApiErrors.Invalid(resource.Type, "", [new FieldError("FieldValueInvalid", "spec.user", "Invalid value: \"\": at least one of user or group must be specified")]);
                }

                review.Status = handlers.SubjectAccessReview(spec);
                result = JsonSerializer.SerializeToNode(review, SubjectAccessReview.JsonTypeInfo);
            }
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }

        var obj = (JsonObject)result!;
        obj["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        return ResponseWriter.WriteObjectAsync(context, 201, obj, null, cancellationToken);
    }
}
