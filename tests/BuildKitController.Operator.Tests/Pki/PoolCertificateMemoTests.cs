using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Pki;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pki;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Tests.Pki;

public sealed class PoolCertificateMemoTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _root = CertificateAuthority.Create("test root", Now.AddDays(-1), TimeSpan.FromDays(3650));
    private readonly PoolControllerOptions _options = new();
    private readonly BuildKitPool _pool = new()
    {
        Metadata = new ObjectMeta { Name = "ci", Namespace = "default", Uid = "pool-uid", Generation = 1 },
    };

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_plan_with_nothing_to_change_is_reused_while_its_inputs_stay_the_same()
    {
        var memo = new PoolCertificateMemo();
        var secrets = IssueAll(memo);

        var first = memo.Plan(_pool, _root, secrets, [], _options, Now);
        var second = memo.Plan(_pool, _root, secrets, [], _options, Now.AddMinutes(5));

        Assert.Empty(first.Changed);
        Assert.Same(first, second);
    }

    [Fact]
    public void A_changed_secret_spec_root_or_name_list_plans_afresh()
    {
        var memo = new PoolCertificateMemo();
        var secrets = IssueAll(memo);
        var kept = memo.Plan(_pool, _root, secrets, [], _options, Now);

        var rotatedSecret = secrets with { WorkerServer = secrets.WorkerServer! with { Metadata = secrets.WorkerServer.Metadata with { ResourceVersion = "99" } } };
        Assert.NotSame(kept, memo.Plan(_pool, _root, rotatedSecret, [], _options, Now));

        kept = memo.Plan(_pool, _root, secrets, [], _options, Now);
        var newSpec = _pool with { Metadata = _pool.Metadata with { Generation = 2 } };
        Assert.NotSame(kept, memo.Plan(newSpec, _root, secrets, [], _options, Now));

        kept = memo.Plan(_pool, _root, secrets, [], _options, Now);
        var withName = memo.Plan(_pool, _root, secrets, ["builds.example.com"], _options, Now);
        Assert.NotSame(kept, withName);
        Assert.Contains(withName.Changed, s => s.Metadata.Name == PoolObjectNames.GatewayTls("ci"));

        using var otherRoot = CertificateAuthority.Create("other root", Now.AddDays(-1), TimeSpan.FromDays(3650));
        kept = memo.Plan(_pool, _root, secrets, [], _options, Now);
        Assert.NotSame(kept, memo.Plan(_pool, otherRoot, secrets, [], _options, Now));
    }

    [Fact]
    public void A_plan_is_not_reused_once_a_certificate_falls_due()
    {
        var memo = new PoolCertificateMemo();
        var secrets = IssueAll(memo);
        var kept = memo.Plan(_pool, _root, secrets, [], _options, Now);
        var due = kept.NextRenewal!.Value;

        var atRenewal = memo.Plan(_pool, _root, secrets, [], _options, due);

        Assert.NotSame(kept, atRenewal);
        Assert.NotEmpty(atRenewal.Changed);
    }

    [Fact]
    public void A_plan_that_changes_something_is_never_kept()
    {
        var memo = new PoolCertificateMemo();
        var empty = new PoolSecrets(null, null, null, null);

        var first = memo.Plan(_pool, _root, empty, [], _options, Now);
        var second = memo.Plan(_pool, _root, empty, [], _options, Now);

        Assert.NotEmpty(first.Changed);
        Assert.NotSame(first, second);
    }

    /// <summary>Plans from nothing, then stores what the plan issued as the cluster would (uid, resourceVersion).</summary>
    private PoolSecrets IssueAll(PoolCertificateMemo memo)
    {
        var issued = memo.Plan(_pool, _root, new PoolSecrets(null, null, null, null), [], _options, Now).Changed
            .ToDictionary(s => s.Metadata.Name!, s => s with { Metadata = s.Metadata with { Uid = $"uid-{s.Metadata.Name}", ResourceVersion = "1" } });
        return new PoolSecrets(
            issued[PoolObjectNames.Authorities("ci")],
            issued[PoolObjectNames.GatewayTls("ci")],
            issued[PoolObjectNames.GatewayClientCertificates("ci")],
            issued[PoolObjectNames.WorkerTls("ci")]);
    }
}
