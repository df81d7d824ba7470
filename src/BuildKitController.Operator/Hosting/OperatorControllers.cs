using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Operator.Api;
using BuildKitController.Operator.Auth;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Oidc;
using BuildKitController.Operator.Pools;
using BuildKitController.Operator.Workers;

namespace BuildKitController.Operator.Hosting;

/// <summary>The controllers the process runs: one factory per controller, called afresh for every run.</summary>
internal static class OperatorControllers
{
    /// <summary>Every controller of the product.</summary>
    public static IReadOnlyList<Func<ControllerContext, IManagedController>> Default { get; } = [CreateBuildKitControllers, CreateOidcController];

    /// <summary>
    /// The pool and worker controllers over one set of pool and worker informers; the caches also feed
    /// <c>buildkit_workers_total</c> and <c>buildkit_pools_total</c>.
    /// </summary>
    public static IManagedController CreateBuildKitControllers(ControllerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var shared = context.Shared ?? new SharedInformers(context.Client, options.WatchNamespace, context.Loggers);
        var pools = new PoolController(
            context.Client,
            context.Time,
            new PoolControllerOptions
            {
                ControllerNamespace = options.Namespace,
                AllowedIngressTypes = options.AllowedIngressTypes,
                Defaults = options.PoolDefaulting,
            },
            shared,
            options.WatchNamespace,
            Reconciling(options),
            context.Loggers,
            context.Events,
            context.Metrics);
        var workers = new WorkerController(context.Client, context.Time, shared, options.WatchNamespace, options.PoolDefaulting, Reconciling(options), context.Loggers);
        context.Metrics.ObserveWorkers(shared.Workers.Cache);
        context.Metrics.ObservePools(shared.Pools.Cache);
        return new CompositeController($"{pools.Name}+{workers.Name}", [pools, workers]);
    }

    /// <summary>The BuildKitOIDCConfig controller (discovery and JWKS checks).</summary>
    public static IManagedController CreateOidcController(ControllerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OidcConfigController(
            context.Client,
            context.Time,
            new OidcConfigControllerOptions { Namespace = context.Options.WatchNamespace, Controller = Reconciling(context.Options) },
            loggers: context.Loggers);
    }

    /// <summary>The BuildKitWorker controller; its informer cache also feeds <c>buildkit_workers_total</c>.</summary>
    public static IManagedController CreateWorkerController(ControllerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var controller = new WorkerController(
            context.Client,
            context.Time,
            context.Options.WatchNamespace,
            context.Options.PoolDefaulting,
            Reconciling(context.Options),
            context.Loggers);
        context.Metrics.ObserveWorkers(controller.Workers);
        return controller;
    }

    /// <summary>Components that run on every replica for the whole process, leader or not: the allocation API.</summary>
    public static IReadOnlyList<Func<ControllerContext, IManagedController>> Services { get; } = [CreateApi];

    /// <summary>The allocation API on <c>--api-bind-address</c> (nothing when it is <c>0</c>).</summary>
    public static IManagedController CreateApi(ControllerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        if (options.ApiBindAddress.IsDisabled)
        {
            return new CompositeController("allocation-api (disabled)", []);
        }

        var auth = new AuthOptions
        {
            ControllerNamespace = options.Namespace,
            AdminUsers = options.AdminUsers,
            AdminGroups = options.AdminGroups,
            TokenReviewAudiences = options.TokenReviewAudiences,
            TrustOidcConfigsFromAllNamespaces = options.TrustOidcConfigsFromAllNamespaces,
            UseSubjectAccessReview = options.UseSubjectAccessReview,
            DevMode = options.InsecureDevMode,
        };
        var api = new ApiOptions
        {
            ControllerNamespace = options.Namespace,
            DefaultClientCertificateDuration = options.CertificateClientDuration,
        };
        var tls = options.ApiTlsCertFile is { } cert && options.ApiTlsKeyFile is { } key ? new ApiTlsFiles(cert, key, context.Loggers.CreateLogger("api")) : null;
        return new ApiComponent(context.ServiceClient ?? context.Client, context.Time, options.ApiBindAddress, tls, api, auth, options.WatchNamespace, context.Loggers, context.Metrics, shared: context.Shared);
    }

    /// <summary>Per-controller loop settings from the process options.</summary>
    public static ControllerOptions Reconciling(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ControllerOptions { MaxConcurrentReconciles = options.MaxConcurrentReconciles };
    }
}
