using System.CommandLine;
using System.Globalization;
using BuildKitController.Core.Time;
using BuildKitController.Hosting.Lifetime;
using BuildKitController.Hosting.Logging;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Cli;

/// <summary>
/// <c>buildkit-controller [run] [flags]</c>: the controller process. Flags follow controller-runtime's names;
/// deployment settings come from the environment as upstream reads them. Invalid flags or environment values
/// print a one-line reason each and exit 2; leadership loss and fatal errors exit 1; SIGTERM/SIGINT shut down
/// gracefully and exit 0.
/// </summary>
internal static class RunCommand
{
    /// <summary>Exit code for invalid flags, environment or Kubernetes configuration.</summary>
    public const int UsageError = 2;

    /// <summary>The environment variables the run command reads, for help texts.</summary>
    public const string EnvironmentHelp =
        "Environment: GATEWAY_IMAGE (default gateway image), ALLOWED_INGRESS_TYPES (comma list of ingress, gatewayapi; empty: both), "
        + "CERT_DEFAULT_CLIENT_DURATION and CERT_DEFAULT_SERVER_DURATION (Go durations, default 8760h), LOG_LEVEL (trace, debug, info, warn, error, critical), "
        + "LOG_FORMAT (text, json), CONTROLLER_NAMESPACE or POD_NAMESPACE (the controller namespace), POD_NAME (leader election identity).";


    /// <summary>The <c>run</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("run", "Run the controller (the default when no command is given). " + EnvironmentHelp);
        Configure(command);
        return command;
    }

    /// <summary>Adds the run flags and action to <paramref name="command"/> (the <c>run</c> subcommand, and the root so that it is the default).</summary>
    public static void Configure(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var flags = new Flags();
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, flags, cancellationToken));
    }

    /// <summary>Parses <c>run</c> arguments and the environment into options, or the reasons they are invalid (tests).</summary>
    internal static OptionsResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var command = new RootCommand();
        var flags = new Flags();
        flags.AddTo(command);
        var parse = command.Parse(args);
        return parse.Errors.Count > 0
            ? new OptionsResult(null, [.. parse.Errors.Select(e => e.Message)])
            : Bind(parse, flags, environment);
    }

    private static async Task<int> RunAsync(ParseResult parse, Flags flags, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var bound = Bind(parse, flags, Environment.GetEnvironmentVariable);
        if (bound.Options is not { } options)
        {
            foreach (var message in bound.Errors)
            {
                await error.WriteLineAsync($"error: {message}");
            }

            await error.WriteLineAsync("Run 'buildkit-controller run --help' for the flags and environment variables.");
            return UsageError;
        }

        using var loggers = ConsoleLogging.Create(options.LogLevel, options.LogFormat == LogFormat.Json);
        var logger = loggers.CreateLogger("operator");
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = new ShutdownSignals(shutdown, signal => OperatorLog.SignalReceived(logger, signal));
        try
        {
            if (options.InsecureDevMode)
            {
                OperatorLog.InsecureDevMode(logger);
            }

            using var host = new OperatorHost(options, OperatorControllers.Default, loggers, services: OperatorControllers.Services);
            await host.RunAsync(shutdown.Token);
            return 0;
        }
        catch (KubernetesConfigurationException ex)
        {
            OperatorLog.Fatal(logger, ex.Message);
            return UsageError;
        }
        catch (Exception ex) when (ex is LeaderElectionLostException or IOException)
        {
            // Expected failures (leadership lost, a port in use): the message says it all.
            OperatorLog.Fatal(logger, ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !shutdown.IsCancellationRequested)
        {
            OperatorLog.FatalException(logger, ex);
            return 1;
        }
    }

    private static OptionsResult Bind(ParseResult parse, Flags flags, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var defaults = new OperatorOptions();
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var metrics = Address(parse, flags.MetricsBindAddress, errors);
        var health = Address(parse, flags.HealthProbeBindAddress, errors);
        var api = Address(parse, flags.ApiBindAddress, errors);
        if (api is { IsDisabled: false, Port: > 0 } && (api == metrics || api == health))
        {
            errors.Add($"--api-bind-address {api} is also the metrics or health probe address");
        }

        var ns = parse.GetValue(flags.Namespace) ?? Env("CONTROLLER_NAMESPACE") ?? Env("POD_NAMESPACE") ?? OperatorOptions.DefaultNamespace;
        CheckNamespace(ns, "--namespace (or CONTROLLER_NAMESPACE, POD_NAMESPACE)", errors);
        var leaseNamespace = parse.GetValue(flags.LeaderElectionNamespace) is { Length: > 0 } l ? l : ns;
        CheckNamespace(leaseNamespace, "--leader-election-namespace", errors);
        var watch = parse.GetValue(flags.WatchNamespace) is { Length: > 0 } w ? w : null;
        if (watch is not null)
        {
            CheckNamespace(watch, "--watch-namespace", errors);
        }

        var lease = Duration(parse.GetValue(flags.LeaseDuration), flags.LeaseDuration.Name, errors);
        var renew = Duration(parse.GetValue(flags.RenewDeadline), flags.RenewDeadline.Name, errors);
        var retry = Duration(parse.GetValue(flags.RetryPeriod), flags.RetryPeriod.Name, errors);
        if (lease > TimeSpan.Zero && renew > TimeSpan.Zero && renew >= lease)
        {
            errors.Add($"{flags.RenewDeadline.Name} ({GoDuration.Format(renew)}) must be shorter than {flags.LeaseDuration.Name} ({GoDuration.Format(lease)})");
        }

        if (renew > TimeSpan.Zero && retry > TimeSpan.Zero && retry >= renew)
        {
            errors.Add($"{flags.RetryPeriod.Name} ({GoDuration.Format(retry)}) must be shorter than {flags.RenewDeadline.Name} ({GoDuration.Format(renew)})");
        }

        var shutdownTimeout = Duration(parse.GetValue(flags.GracefulShutdownTimeout), flags.GracefulShutdownTimeout.Name, errors, allowZero: true);
        var concurrency = Positive(parse.GetValue(flags.MaxConcurrentReconciles), flags.MaxConcurrentReconciles.Name, errors);

        var qps = Rate(parse.GetValue(flags.KubeApiQps), flags.KubeApiQps.Name, errors);
        var burst = Positive(parse.GetValue(flags.KubeApiBurst), flags.KubeApiBurst.Name, errors);
        var apiQps = Rate(parse.GetValue(flags.ApiKubeApiQps), flags.ApiKubeApiQps.Name, errors);
        var apiBurst = Positive(parse.GetValue(flags.ApiKubeApiBurst), flags.ApiKubeApiBurst.Name, errors);
        var options = new OperatorOptions
        {
            MetricsBindAddress = metrics ?? BindAddress.Disabled,
            HealthProbeBindAddress = health ?? BindAddress.Disabled,
            ApiBindAddress = api ?? BindAddress.Disabled,
            LeaderElect = parse.GetValue(flags.LeaderElect),
            LeaderElectionNamespace = leaseNamespace,
            LeaderElectionIdentity = $"{Env("POD_NAME") ?? Environment.MachineName}_{Guid.NewGuid():N}",
            LeaseDuration = lease,
            RenewDeadline = renew,
            RetryPeriod = retry,
            Namespace = ns,
            WatchNamespace = watch,
            Kubeconfig = parse.GetValue(flags.Kubeconfig) is { Length: > 0 } k ? k : null,
            MaxConcurrentReconciles = concurrency,
            KubeApiQps = qps,
            KubeApiBurst = burst,
            ApiKubeApiQps = apiQps,
            ApiKubeApiBurst = apiBurst,
            GracefulShutdownTimeout = shutdownTimeout,
            GatewayImage = Env("GATEWAY_IMAGE") ?? defaults.GatewayImage,
            AllowedIngressTypes = IngressTypesOf(Env("ALLOWED_INGRESS_TYPES"), errors),
            CertificateClientDuration = Env("CERT_DEFAULT_CLIENT_DURATION") is { } client
                ? Duration(client, "CERT_DEFAULT_CLIENT_DURATION", errors)
                : defaults.CertificateClientDuration,
            CertificateServerDuration = Env("CERT_DEFAULT_SERVER_DURATION") is { } server
                ? Duration(server, "CERT_DEFAULT_SERVER_DURATION", errors)
                : defaults.CertificateServerDuration,
            LogLevel = LogLevelOf(Env("LOG_LEVEL"), errors),
            LogFormat = LogFormatOf(Env("LOG_FORMAT"), errors),
            ApiTlsCertFile = parse.GetValue(flags.ApiTlsCertFile) is { Length: > 0 } cert ? cert : null,
            ApiTlsKeyFile = parse.GetValue(flags.ApiTlsKeyFile) is { Length: > 0 } key ? key : null,
            AdminUsers = List(parse.GetValue(flags.AdminUsers)) ?? defaults.AdminUsers,
            AdminGroups = List(parse.GetValue(flags.AdminGroups)) ?? defaults.AdminGroups,
            TokenReviewAudiences = List(parse.GetValue(flags.TokenReviewAudiences)) ?? defaults.TokenReviewAudiences,
            TrustOidcConfigsFromAllNamespaces = parse.GetValue(flags.TrustOidcConfigsFromAllNamespaces),
            UseSubjectAccessReview = parse.GetValue(flags.UseSubjectAccessReview),
            InsecureDevMode = parse.GetValue(flags.InsecureDevMode),
        };
        if ((options.ApiTlsCertFile is null) != (options.ApiTlsKeyFile is null))
        {
            errors.Add("--api-tls-cert-file and --api-tls-key-file go together");
        }
        else if (options.ApiTlsCertFile is not null && (!File.Exists(options.ApiTlsCertFile) || !File.Exists(options.ApiTlsKeyFile)))
        {
            errors.Add($"--api-tls-cert-file {options.ApiTlsCertFile} or --api-tls-key-file {options.ApiTlsKeyFile} does not exist");
        }

        return errors.Count == 0 ? new OptionsResult(options, []) : new OptionsResult(null, errors);
    }

    private static List<string>? List(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static BindAddress? Address(ParseResult parse, Option<string> flag, List<string> errors)
    {
        var text = parse.GetValue(flag);
        if (BindAddress.TryParse(text, out var address, out var reason))
        {
            return address;
        }

        errors.Add($"{flag.Name} \"{text}\" {reason}");
        return null;
    }

    private static double Rate(double value, string name, List<string> errors)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            errors.Add($"{name} must be a finite number of requests per second, 0 or more, not {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    private static int Positive(int value, string name, List<string> errors)
    {
        if (value < 1)
        {
            errors.Add($"{name} must be at least 1, not {value}");
        }

        return value;
    }

    private static TimeSpan Duration(string? text, string name, List<string> errors, bool allowZero = false)
    {
        if (!GoDuration.TryParse(text, out var value))
        {
            errors.Add($"{name} \"{text}\" is not a duration ({GoDuration.Explain(text)}); use e.g. 30s, 15m, 8760h");
            return TimeSpan.Zero;
        }

        if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            errors.Add($"{name} \"{text}\" must be {(allowZero ? "zero or positive" : "positive")}");
            return TimeSpan.Zero;
        }

        return value;
    }

    private static void CheckNamespace(string value, string name, List<string> errors)
    {
        static bool LowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
        var valid = value.Length is > 0 and <= 63
            && LowerAlphanumeric(value[0])
            && LowerAlphanumeric(value[^1])
            && value.All(c => LowerAlphanumeric(c) || c == '-');
        if (!valid)
        {
            errors.Add($"{name} \"{value}\" is not a namespace name (lower-case letters, digits and '-', at most 63)");
        }
    }

    private static IReadOnlySet<string> IngressTypesOf(string? text, List<string> errors)
    {
        if (text is null)
        {
            return OperatorOptions.AllIngressTypes;
        }

        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Equals(IngressTypes.Ingress, StringComparison.OrdinalIgnoreCase))
            {
                types.Add(IngressTypes.Ingress);
            }
            else if (item.Equals(IngressTypes.GatewayApi, StringComparison.OrdinalIgnoreCase))
            {
                types.Add(IngressTypes.GatewayApi);
            }
            else
            {
                errors.Add($"ALLOWED_INGRESS_TYPES has unknown type \"{item}\" (expected a comma list of {IngressTypes.Ingress}, {IngressTypes.GatewayApi})");
            }
        }

        return types.Count == 0 ? OperatorOptions.AllIngressTypes : types;
    }

    private static LogLevel LogLevelOf(string? text, List<string> errors)
    {
        if (!ConsoleLogging.TryParseLevel(text, out var level))
        {
            errors.Add($"LOG_LEVEL \"{text}\" is not one of {string.Join(", ", ConsoleLogging.LevelNames)}");
        }

        return level;
    }

    private static LogFormat LogFormatOf(string? text, List<string> errors)
    {
        switch (text?.ToUpperInvariant())
        {
            case null or "TEXT" or "CONSOLE":
                return LogFormat.Text;
            case "JSON":
                return LogFormat.Json;
            default:
                errors.Add($"LOG_FORMAT \"{text}\" is not one of json, text");
                return LogFormat.Text;
        }
    }

    /// <summary>Options bound from flags and environment, or why they could not be.</summary>
    internal sealed record OptionsResult(OperatorOptions? Options, IReadOnlyList<string> Errors);

    /// <summary>The run flags (one set per command they are added to).</summary>
    private sealed class Flags
    {
        public Option<string> MetricsBindAddress { get; } = new("--metrics-bind-address")
        {
            Description = "Address of /metrics (HOST:PORT, :PORT; 0 turns it off).",
            DefaultValueFactory = _ => ":8080",
        };

        public Option<string> HealthProbeBindAddress { get; } = new("--health-probe-bind-address")
        {
            Description = "Address of /healthz and /readyz (0 turns them off).",
            DefaultValueFactory = _ => ":8081",
        };

        public Option<string> ApiBindAddress { get; } = new("--api-bind-address")
        {
            Description = "Address of the allocation API.",
            DefaultValueFactory = _ => ":8082",
        };

        public Option<bool> LeaderElect { get; } = new("--leader-elect")
        {
            Description = $"Run controllers only while holding the Lease {OperatorOptions.DefaultLeaderElectionId}; standbys wait.",
        };

        public Option<string?> LeaderElectionNamespace { get; } = new("--leader-election-namespace")
        {
            Description = "Namespace of the leader election Lease [default: the controller namespace].",
        };

        public Option<string> LeaseDuration { get; } = new("--leader-elect-lease-duration")
        {
            Description = "How long a standby waits after the last observed renewal before taking over.",
            DefaultValueFactory = _ => "15s",
        };

        public Option<string> RenewDeadline { get; } = new("--leader-elect-renew-deadline")
        {
            Description = "How long the leader keeps trying to renew before it gives up leading.",
            DefaultValueFactory = _ => "10s",
        };

        public Option<string> RetryPeriod { get; } = new("--leader-elect-retry-period")
        {
            Description = "Interval between attempts to acquire or renew the Lease.",
            DefaultValueFactory = _ => "2s",
        };

        public Option<string?> Namespace { get; } = new("--namespace")
        {
            Description = $"The controller's namespace [env: CONTROLLER_NAMESPACE, POD_NAMESPACE; default: {OperatorOptions.DefaultNamespace}].",
        };

        public Option<string?> WatchNamespace { get; } = new("--watch-namespace")
        {
            Description = "Reconcile pools and workers of this namespace only [default: all namespaces].",
        };

        public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
        {
            Description = "Kubeconfig file [default: KUBECONFIG, in-cluster service account, ~/.kube/config].",
        };

        public Option<int> MaxConcurrentReconciles { get; } = new("--max-concurrent-reconciles")
        {
            Description = "Objects each controller reconciles in parallel.",
            DefaultValueFactory = _ => 4,
        };

        public Option<double> KubeApiQps { get; } = new("--kube-api-qps")
        {
            Description = "Sustained Kubernetes API request rate of the controllers (0: unlimited).",
            DefaultValueFactory = _ => 50,
        };

        public Option<int> KubeApiBurst { get; } = new("--kube-api-burst")
        {
            Description = "Kubernetes API requests the controllers may send at once after a quiet period.",
            DefaultValueFactory = _ => 100,
        };

        public Option<double> ApiKubeApiQps { get; } = new("--api-kube-api-qps")
        {
            Description = "Sustained Kubernetes API request rate of the allocation API, a budget separate from the controllers' (0: unlimited).",
            DefaultValueFactory = _ => 300,
        };

        public Option<int> ApiKubeApiBurst { get; } = new("--api-kube-api-burst")
        {
            Description = "Kubernetes API requests the allocation API may send at once after a quiet period.",
            DefaultValueFactory = _ => 600,
        };

        public Option<string> GracefulShutdownTimeout { get; } = new("--graceful-shutdown-timeout")
        {
            Description = "How long controllers may take to stop on SIGTERM or leadership loss.",
            DefaultValueFactory = _ => "30s",
        };

        public Option<string?> ApiTlsCertFile { get; } = new("--api-tls-cert-file")
        {
            Description = "PEM certificate the allocation API serves (with --api-tls-key-file); reloaded when it changes. Plain HTTP without it.",
        };

        public Option<string?> ApiTlsKeyFile { get; } = new("--api-tls-key-file")
        {
            Description = "PEM private key of --api-tls-cert-file.",
        };

        public Option<string?> AdminUsers { get; } = new("--admin-users")
        {
            Description = "Comma list of identities that may use every pool and release or renew any allocation.",
        };

        public Option<string?> AdminGroups { get; } = new("--admin-groups")
        {
            Description = "Comma list of Kubernetes groups whose members are admins (default system:masters).",
        };

        public Option<string?> TokenReviewAudiences { get; } = new("--token-review-audiences")
        {
            Description = "Comma list of audiences ServiceAccount tokens must carry (TokenReview spec.audiences); empty = the API server's.",
        };

        public Option<bool> TrustOidcConfigsFromAllNamespaces { get; } = new("--trust-oidc-configs-from-all-namespaces")
        {
            Description = "Trust BuildKitOIDCConfig objects in every namespace, not only the controller namespace.",
        };

        public Option<bool> UseSubjectAccessReview { get; } = new("--use-subject-access-review")
        {
            Description = "Also authorize callers with a SubjectAccessReview on buildkitpools/<verb>, so cluster RBAC can grant pool access.",
        };

        public Option<bool> InsecureDevMode { get; } = new("--insecure-dev-mode")
        {
            Description = "DANGEROUS: treat every API request as the admin 'dev-user'. For local development only.",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(ApiTlsCertFile);
            command.Options.Add(ApiTlsKeyFile);
            command.Options.Add(AdminUsers);
            command.Options.Add(AdminGroups);
            command.Options.Add(TokenReviewAudiences);
            command.Options.Add(TrustOidcConfigsFromAllNamespaces);
            command.Options.Add(UseSubjectAccessReview);
            command.Options.Add(InsecureDevMode);
            command.Options.Add(MetricsBindAddress);
            command.Options.Add(HealthProbeBindAddress);
            command.Options.Add(ApiBindAddress);
            command.Options.Add(LeaderElect);
            command.Options.Add(LeaderElectionNamespace);
            command.Options.Add(LeaseDuration);
            command.Options.Add(RenewDeadline);
            command.Options.Add(RetryPeriod);
            command.Options.Add(Namespace);
            command.Options.Add(WatchNamespace);
            command.Options.Add(Kubeconfig);
            command.Options.Add(MaxConcurrentReconciles);
            command.Options.Add(KubeApiQps);
            command.Options.Add(KubeApiBurst);
            command.Options.Add(ApiKubeApiQps);
            command.Options.Add(ApiKubeApiBurst);
            command.Options.Add(GracefulShutdownTimeout);
        }
    }
}
