namespace BuildKitController.Operator.Hosting;

/// <summary>The answer of a health endpoint: 200 with <paramref name="Message"/> when <paramref name="Healthy"/>, else 503.</summary>
internal readonly record struct ProbeResult(bool Healthy, string Message)
{
    public int StatusCode => Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
}
