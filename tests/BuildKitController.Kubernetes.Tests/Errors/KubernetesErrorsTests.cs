using System.Net;
using System.Text;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Tests.Errors;

public sealed class KubernetesErrorsTests
{
    [Theory]
    [InlineData(404, "NotFound", typeof(KubernetesNotFoundException))]
    [InlineData(409, "AlreadyExists", typeof(KubernetesAlreadyExistsException))]
    [InlineData(409, "Conflict", typeof(KubernetesConflictException))]
    [InlineData(410, "Expired", typeof(KubernetesGoneException))]
    [InlineData(410, "Gone", typeof(KubernetesGoneException))]
    [InlineData(422, "Invalid", typeof(KubernetesInvalidException))]
    [InlineData(400, "BadRequest", typeof(KubernetesBadRequestException))]
    [InlineData(401, "Unauthorized", typeof(KubernetesUnauthorizedException))]
    [InlineData(403, "Forbidden", typeof(KubernetesForbiddenException))]
    [InlineData(429, "TooManyRequests", typeof(KubernetesTooManyRequestsException))]
    [InlineData(500, "InternalError", typeof(KubernetesServerException))]
    [InlineData(504, "Timeout", typeof(KubernetesServerException))]
    [InlineData(405, "MethodNotAllowed", typeof(KubernetesApiException))]
    public void Status_maps_to_the_typed_exception(int code, string reason, Type expected)
    {
        var error = KubernetesErrors.FromStatus(new Status { Code = code, Reason = reason, Message = "m" });

        Assert.IsType(expected, error);
        Assert.Equal((HttpStatusCode)code, error.StatusCode);
        Assert.Equal("m", error.Message);
    }

    [Fact]
    public void Invalid_exposes_field_causes()
    {
        var body = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"BuildKitPool.buildkit.smrt-devops.net \"p\" is invalid: spec.scaling: Invalid value",
             "reason":"Invalid","details":{"name":"p","group":"buildkit.smrt-devops.net","kind":"BuildKitPool",
             "causes":[{"reason":"FieldValueInvalid","message":"min must be <= max","field":"spec.scaling"}]},"code":422}
            """;

        var error = Assert.IsType<KubernetesInvalidException>(
            KubernetesErrors.FromStatus(KubernetesErrors.ParseStatus(HttpStatusCode.UnprocessableEntity, Encoding.UTF8.GetBytes(body))));

        var cause = Assert.Single(error.Causes);
        Assert.Equal("spec.scaling", cause.Field);
        Assert.Equal("FieldValueInvalid", cause.Reason);
    }

    [Fact]
    public void Retry_after_comes_from_the_header_or_the_status_details()
    {
        var fromDetails = Assert.IsType<KubernetesTooManyRequestsException>(KubernetesErrors.FromStatus(
            new Status { Code = 429, Reason = "TooManyRequests", Details = new StatusDetails { RetryAfterSeconds = 3 } }));
        Assert.Equal(TimeSpan.FromSeconds(3), fromDetails.RetryAfter);

        var fromHeader = Assert.IsType<KubernetesTooManyRequestsException>(KubernetesErrors.FromStatus(
            new Status { Code = 429, Details = new StatusDetails { RetryAfterSeconds = 3 } }, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(7), fromHeader.RetryAfter);
    }

    [Theory]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("")]
    [InlineData("{\"kind\":\"Pod\"}")]
    [InlineData("{\"kind\":\"Status\",\"code\":\"not-a-number\"}")]
    public void A_body_that_is_not_a_Status_becomes_a_synthetic_one(string body)
    {
        var status = KubernetesErrors.ParseStatus(HttpStatusCode.BadGateway, Encoding.UTF8.GetBytes(body));

        Assert.Equal(502, status.Code);
        Assert.Equal(StatusReasons.InternalError, status.Reason);
        Assert.IsType<KubernetesServerException>(KubernetesErrors.FromStatus(status));
    }

    [Fact]
    public void A_Status_without_code_takes_the_http_code()
    {
        var status = KubernetesErrors.ParseStatus(HttpStatusCode.NotFound, """{"kind":"Status","reason":"NotFound","message":"x"}"""u8);
        Assert.Equal(404, status.Code);
    }
}
