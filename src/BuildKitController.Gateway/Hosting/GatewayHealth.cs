namespace BuildKitController.Gateway.Hosting;

/// <summary>Probe answers: live while the process runs; ready once the worker cache synced and both certificate bundles loaded, until draining.</summary>
internal sealed class GatewayHealth(Func<bool> synced, Func<bool> serverTls, Func<bool> workerTls, Func<bool> draining)
{
    public static (int Status, string Message) Liveness() => (200, "ok");

    public (int Status, string Message) Readiness()
    {
        if (draining())
        {
            return (503, "draining");
        }

        var missing = new List<string>();
        if (!synced())
        {
            missing.Add("worker cache not synced");
        }

        if (!serverTls())
        {
            missing.Add("server certificate not loaded");
        }

        if (!workerTls())
        {
            missing.Add("worker client certificate not loaded");
        }

        return missing.Count == 0 ? (200, "ok") : (503, string.Join("; ", missing));
    }

    public bool IsReady => Readiness().Status == 200;
}
