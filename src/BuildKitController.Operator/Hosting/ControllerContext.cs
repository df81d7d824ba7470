using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Runtime.Events;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;

namespace BuildKitController.Operator.Hosting;

/// <summary>
/// What a controller factory gets from the <see cref="OperatorHost"/>. Factories are called afresh at the start of
/// every run of the controllers (each leadership term with leader election), so controllers never carry state
/// from a previous term.
/// </summary>
/// <param name="Client">The process's shared Kubernetes client.</param>
/// <param name="Time">The clock every controller must use.</param>
/// <param name="Options">The process settings (watch namespace, concurrency, pool defaults, certificate lifetimes, …).</param>
/// <param name="Loggers">Logger factory.</param>
/// <param name="Events">Records core/v1 Events (component <c>buildkit-controller</c>).</param>
/// <param name="Metrics">The operator metrics; cache-backed sources registered here are forgotten when the term ends.</param>
internal sealed record ControllerContext(
    KubernetesClient Client,
    TimeProvider Time,
    OperatorOptions Options,
    ILoggerFactory Loggers,
    EventRecorder Events,
    OperatorMetrics Metrics)
{
    /// <summary>
    /// The pool and worker informers of the process, shared by the controllers and the allocation API so each object
    /// is cached once. Started by whichever component runs first; they live as long as the process.
    /// </summary>
    public SharedInformers? Shared { get; init; }

    /// <summary>
    /// The client of the always-on services (the allocation API), with a request budget of its own; null means
    /// <see cref="Client"/>.
    /// </summary>
    public KubernetesClient? ServiceClient { get; init; }
}
