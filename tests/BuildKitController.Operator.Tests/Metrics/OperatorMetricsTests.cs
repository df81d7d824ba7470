using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Metrics;
using BuildKitController.Testing.Time;

namespace BuildKitController.Operator.Tests.Metrics;

public sealed class OperatorMetricsTests : IDisposable
{
    private readonly string _meterName = "test.operator." + Guid.NewGuid().ToString("N");
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly OperatorMetrics _metrics;
    private readonly PrometheusExporter _exporter;

    public OperatorMetricsTests()
    {
        _metrics = new OperatorMetrics(_time, _meterName);
        _exporter = new PrometheusExporter([_meterName]);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    private static BuildKitWorker Worker(string ns, string name, string pool, string? phase, string? poolNamespace = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = pool, Namespace = poolNamespace } },
        Status = phase is null ? null : new BuildKitWorkerStatus { Phase = phase },
    };

    private static BuildKitPool Pool(string ns, string name) => new() { Metadata = new ObjectMeta { Name = name, Namespace = ns } };

    [Fact]
    public void Workers_are_counted_per_namespace_pool_and_lower_case_phase_with_zeros_for_every_phase()
    {
        _metrics.ObservePools(() => [Pool("default", "ci"), Pool("default", "empty"), Pool("team", "ci")]);
        _metrics.ObserveWorkers(() =>
        [
            Worker("default", "a", "ci", WorkerPhases.Idle),
            Worker("default", "b", "ci", WorkerPhases.Idle),
            Worker("default", "c", "ci", WorkerPhases.Allocated),
            Worker("default", "d", "ci", phase: null),
            Worker("default", "e", "ci", "Exploded"),
            Worker("elsewhere", "f", "ci", WorkerPhases.Provisioning, poolNamespace: "team"),
        ]);

        var text = _exporter.Scrape();

        Assert.Contains("# TYPE buildkit_workers_total gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"idle\",pool=\"ci\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"allocated\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"pending\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"unknown\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"failed\",pool=\"ci\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"team\",phase=\"provisioning\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace=\"elsewhere\"", text, StringComparison.Ordinal);

        // A pool without workers reports every phase at zero, and nothing else.
        foreach (var phase in WorkerPhases.All)
        {
            Assert.Contains($"buildkit_workers_total{{namespace=\"default\",phase=\"{phase.ToLowerInvariant()}\",pool=\"empty\"}} 0\n", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("phase=\"unknown\",pool=\"empty\"", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_pools_total gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_pools_total 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_sources_are_read_at_each_scrape_and_forgotten_when_the_term_ends()
    {
        List<BuildKitWorker> workers = [Worker("default", "a", "ci", WorkerPhases.Provisioning)];
        _metrics.ObserveWorkers(() => workers);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"provisioning\",pool=\"ci\"} 1\n", _exporter.Scrape(), StringComparison.Ordinal);

        workers = [Worker("default", "a", "ci", WorkerPhases.Idle)];
        var text = _exporter.Scrape();
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"provisioning\",pool=\"ci\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"idle\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);

        _metrics.EndTerm();
        Assert.DoesNotContain("buildkit_workers_total{", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_have_the_documented_names_and_bounded_labels()
    {
        _metrics.RecordAllocation("ci");
        _metrics.RecordAllocation("ci");
        _metrics.RecordCertificateIssued("client");
        _metrics.RecordCertificateIssued("Not A Token!");
        _metrics.RecordCertificateIssued(new string('a', 40));
        _metrics.RecordScaleOperation("ci", "scale_up");
        _metrics.RecordScaleOperation("ci", "scale_down");

        var text = _exporter.Scrape();

        Assert.Contains("# TYPE buildkit_worker_allocations_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_worker_allocations_total{pool=\"ci\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_controller_certificates_issued_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_certificates_issued_total{type=\"client\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_certificates_issued_total{type=\"other\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_controller_scale_operations_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_scale_operations_total{operation=\"scale_up\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_scale_operations_total{operation=\"scale_down\",pool=\"ci\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_expiry_counts_down_on_the_clock_and_is_removed_with_its_pool()
    {
        var now = _time.GetUtcNow();
        _metrics.SetCertificateExpiry("default", "ci", "server", now.AddHours(1));
        _metrics.SetCertificateExpiry("default", "ci", "client", now.AddHours(2));
        _metrics.SetCertificateExpiry("default", "other", "server", now.AddMinutes(1));

        var text = _exporter.Scrape();
        Assert.Contains("# TYPE buildkit_controller_certificate_expiry_seconds gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_certificate_expiry_seconds{namespace=\"default\",pool=\"ci\",type=\"server\"} 3600\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_certificate_expiry_seconds{namespace=\"default\",pool=\"ci\",type=\"client\"} 7200\n", text, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(2));
        text = _exporter.Scrape();
        Assert.Contains("buildkit_controller_certificate_expiry_seconds{namespace=\"default\",pool=\"ci\",type=\"server\"} 3480\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_certificate_expiry_seconds{namespace=\"default\",pool=\"other\",type=\"server\"} -60\n", text, StringComparison.Ordinal);

        // A renewed certificate replaces the series; a deleted pool takes its series with it.
        _metrics.SetCertificateExpiry("default", "ci", "server", now.AddHours(10));
        _metrics.RemoveCertificateExpiries("default", "other");
        text = _exporter.Scrape();
        Assert.Contains("buildkit_controller_certificate_expiry_seconds{namespace=\"default\",pool=\"ci\",type=\"server\"} 35880\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pool=\"other\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Leadership_is_reported_only_when_observed()
    {
        Assert.DoesNotContain("leader_election_master_status{", _exporter.Scrape(), StringComparison.Ordinal);

        var leading = false;
        _metrics.ObserveLeadership("buildkit-controller.smrt-devops.net", () => leading);
        Assert.Contains("leader_election_master_status{name=\"buildkit-controller.smrt-devops.net\"} 0\n", _exporter.Scrape(), StringComparison.Ordinal);
        leading = true;
        Assert.Contains("leader_election_master_status{name=\"buildkit-controller.smrt-devops.net\"} 1\n", _exporter.Scrape(), StringComparison.Ordinal);
    }
}
