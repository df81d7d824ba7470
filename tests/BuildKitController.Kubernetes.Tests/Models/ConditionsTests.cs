using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Tests.Models;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Setting_a_condition_keeps_its_transition_time_unless_the_status_changes()
    {
        var first = Conditions.Set(null, new Condition { Type = "Ready", Status = ConditionStatus.False, Reason = "A" }, T0.AddMilliseconds(700));
        Assert.Equal(T0, first.Single().LastTransitionTime);

        var sameStatus = Conditions.Set(first, new Condition { Type = "Ready", Status = ConditionStatus.False, Reason = "B", Message = "m" }, T0.AddMinutes(1));
        Assert.Equal(T0, sameStatus.Single().LastTransitionTime);
        Assert.Equal("B", sameStatus.Single().Reason);

        var flipped = Conditions.Set(sameStatus, new Condition { Type = "Ready", Status = ConditionStatus.True, Reason = "C" }, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(2), flipped.Single().LastTransitionTime);
    }

    [Fact]
    public void Other_conditions_keep_their_order_and_can_be_removed()
    {
        var list = Conditions.Set(null, new Condition { Type = "A", Status = ConditionStatus.True }, T0);
        list = Conditions.Set(list, new Condition { Type = "B", Status = ConditionStatus.True }, T0);
        list = Conditions.Set(list, new Condition { Type = "A", Status = ConditionStatus.False }, T0);

        Assert.Equal(["A", "B"], list.Select(c => c.Type));
        Assert.Equal("B", Assert.Single(Conditions.Remove(list, "A")).Type);
        Assert.Null(Conditions.Find(list, "C"));
        Assert.Equal(ConditionStatus.False, Conditions.Find(list, "A")!.Status);
    }
}
