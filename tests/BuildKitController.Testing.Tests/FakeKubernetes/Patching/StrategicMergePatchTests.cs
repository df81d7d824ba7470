using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.Tests.FakeKubernetes.Patching;

public sealed class StrategicMergePatchTests
{
    private static string Apply(string original, string patch) =>
        StrategicMergePatch.Apply(Json.Parse(original), Json.Parse(patch), BuiltInListSemantics.Instance).ToJsonString();

    [Fact]
    public void Container_ports_merge_by_containerPort_and_volume_mounts_by_mountPath()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}],"volumeMounts":[{"mountPath":"/x","name":"v"}]}]}}""",
            """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":443}],"volumeMounts":[{"mountPath":"/x","readOnly":true}]}]}}""");

        Assert.Equal("""{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80},{"containerPort":443}],"volumeMounts":[{"mountPath":"/x","name":"v","readOnly":true}]}]}}""", result);
    }

    [Fact]
    public void Service_ports_merge_by_port_and_owner_references_by_uid()
    {
        var result = Apply(
            """{"metadata":{"ownerReferences":[{"uid":"1","name":"a"}]},"spec":{"ports":[{"port":80,"name":"http"}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"2","name":"b"}]},"spec":{"ports":[{"port":80,"targetPort":8080}]}}""");

        Assert.Equal("""{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]},"spec":{"ports":[{"port":80,"name":"http","targetPort":8080}]}}""", result);
    }

    [Fact]
    public void Lists_without_merge_strategy_are_replaced_and_replace_directive_replaces_merge_lists()
    {
        var result = Apply(
            """{"spec":{"tolerations":[{"key":"a"}],"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"tolerations":[{"key":"b"}],"containers":[{"$patch":"replace"},{"name":"c"}]}}""");

        Assert.Equal("""{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"c"}]}}""", result);
    }

    [Fact]
    public void DeleteFromPrimitiveList_and_retainKeys_work()
    {
        var result = Apply(
            """{"metadata":{"finalizers":["a","b"]},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        Assert.Equal("""{"metadata":{"finalizers":["b"]},"spec":{"strategy":{"type":"Recreate"}}}""", result);
    }

    [Fact]
    public void Merge_list_item_without_its_key_is_rejected()
    {
        Assert.Throws<PatchException>(() => Apply("""{"spec":{"containers":[]}}""", """{"spec":{"containers":[{"image":"x"}]}}"""));
    }
}
