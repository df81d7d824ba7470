using System.Globalization;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Api;

/// <summary>The API errors of the real server (k8s.io/apimachinery/pkg/api/errors), worded the same way.</summary>
internal static class ApiErrors
{
    public const string ResourceNotFoundMessage = "the server could not find the requested resource";

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, StatusReasons.NotFound, $"{QualifiedResource(type)} \"{name}\" not found", Details(type, name));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, StatusReasons.AlreadyExists, $"{QualifiedResource(type)} \"{name}\" already exists", Details(type, name));

    public static ApiException Conflict(ResourceType type, string name, string reason) =>
        new(409, StatusReasons.Conflict, $"Operation cannot be fulfilled on {QualifiedResource(type)} \"{name}\": {reason}", Details(type, name));

    public static ApiException StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(type.Kind, type.Group, name, errors);

    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var aggregate = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.Type, ["message"] = error.Body, ["field"] = error.Field });
        }

        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;
        return new ApiException(422, StatusReasons.Invalid, $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    public static ApiException BadRequest(string message) => new(400, StatusReasons.BadRequest, message);

    public static ApiException Unauthorized() => new(401, StatusReasons.Unauthorized, "Unauthorized");

    public static ApiException Forbidden(ResourceType type, string name, string reason, JsonArray? causes = null)
    {
        var details = Details(type, name);
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return new ApiException(403, StatusReasons.Forbidden, $"{QualifiedResource(type)} \"{name}\" is forbidden: {reason}", details);
    }

    public static ApiException ResourceNotFound() => new(404, StatusReasons.NotFound, ResourceNotFoundMessage, []);

    public static ApiException MethodNotAllowed(ResourceType type) =>
        new(405, StatusReasons.MethodNotAllowed, "the server does not allow this method on the requested resource", Details(type, null));

    public static ApiException Expired(string message) => new(410, StatusReasons.Expired, message);

    public static ApiException RequestEntityTooLarge(long limit) =>
        new(413, StatusReasons.RequestEntityTooLarge, $"Request entity too large: limit is {limit.ToString(CultureInfo.InvariantCulture)}");

    public static ApiException UnsupportedMediaType(IEnumerable<string> accepted) =>
        new(415, StatusReasons.UnsupportedMediaType, $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static ApiException NotAcceptable() =>
        new(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");

    /// <summary>The answer of the generic server-response path for codes that have no dedicated constructor.</summary>
    public static ApiException Generic(int code, string? message, ResourceType? type = null, string? name = null, int? retryAfterSeconds = null)
    {
        var (reason, defaultMessage) = code switch
        {
            400 => (StatusReasons.BadRequest, "the server rejected our request for an unknown reason"),
            401 => (StatusReasons.Unauthorized, "Unauthorized"),
            403 => (StatusReasons.Forbidden, "forbidden"),
            404 => (StatusReasons.NotFound, ResourceNotFoundMessage),
            405 => (StatusReasons.MethodNotAllowed, "the server does not allow this method on the requested resource"),
            409 => (StatusReasons.Conflict, "the server reported a conflict"),
            410 => (StatusReasons.Expired, "the server could not find the requested resource"),
            422 => (StatusReasons.Invalid, "the server rejected our request due to an error in our request"),
            429 => (StatusReasons.TooManyRequests, "Too many requests, please try again later."),
            500 => (StatusReasons.InternalError, "Internal error occurred: injected fault"),
            503 => (StatusReasons.ServiceUnavailable, "the server is currently unable to handle the request"),
            504 => (StatusReasons.Timeout, "the server was unable to return a response in the time allotted, but may still be processing the request"),
            _ => ("Unknown", $"the server responded with the status code {code.ToString(CultureInfo.InvariantCulture)} but did not return more information"),
        };

        JsonObject? details = null;
        if (type is not null || retryAfterSeconds is not null)
        {
            details = type is null ? [] : Details(type, name);
            if (retryAfterSeconds is { } seconds)
            {
                details["retryAfterSeconds"] = seconds;
            }
        }

        return new ApiException(code, reason, message ?? defaultMessage, details, retryAfterSeconds);
    }

    public static string QualifiedResource(ResourceType type) => type.Group.Length == 0 ? type.Plural : $"{type.Plural}.{type.Group}";

    public static JsonObject Details(ResourceType type, string? name)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }

    public static ApiException NotFound(RegisteredResource resource, string name) => NotFound(resource.Type, name);
}
