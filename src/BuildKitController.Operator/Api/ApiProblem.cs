namespace BuildKitController.Operator.Api;

/// <summary>A request the API answers with an error: HTTP status, stable code, safe message.</summary>
internal sealed class ApiProblem : Exception
{
    public ApiProblem()
    {
        Code = "internal";
    }

    public ApiProblem(string message)
        : base(message)
    {
        Code = "internal";
    }

    public ApiProblem(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "internal";
    }

    public ApiProblem(int status, string code, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        Code = code;
        RetryAfter = retryAfter;
    }

    public int Status { get; } = 500;

    public string Code { get; }

    public TimeSpan? RetryAfter { get; }

    public static ApiProblem BadRequest(string message) => new(400, "invalid_request", message);

    public static ApiProblem Unauthorized(string message) => new(401, "unauthenticated", message);

    public static ApiProblem Forbidden(string message) => new(403, "forbidden", message);

    public static ApiProblem NotFound(string code, string message) => new(404, code, message);
}
