using BuildKitController.Testing.FakeKubernetes.Apply;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.Tests.FakeKubernetes.Apply;

public sealed class FieldSetTests
{
    [Fact]
    public void Field_set_of_an_object_uses_the_FieldsV1_encoding()
    {
        var obj = Json.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"x","labels":{"a":"1"},"finalizers":["f/x"]},
             "spec":{"containers":[{"name":"c","image":"i","args":["--x"]}]}}
            """);

        var fields = FieldSetBuilder.Build(obj, BuiltInListSemantics.Instance).ToFieldsV1().ToJsonString();

        Assert.Equal(
            """{"f:metadata":{"f:finalizers":{"v:\u0022f/x\u0022":{}},"f:labels":{"f:a":{}}},"f:spec":{"f:containers":{"k:{\u0022name\u0022:\u0022c\u0022}":{".":{},"f:args":{},"f:image":{},"f:name":{}}}}}""",
            fields);
    }

    [Fact]
    public void FieldsV1_round_trips()
    {
        var set = new FieldSet(["f:spec\0f:replicas", "f:spec\0f:containers\0k:{\"name\":\"c\"}", "f:spec\0f:containers\0k:{\"name\":\"c\"}\0f:image"]);

        var decoded = FieldSet.FromFieldsV1(set.ToFieldsV1());

        Assert.True(decoded.SetEquals(set));
    }

    [Fact]
    public void Display_paths_match_the_real_conflict_wording()
    {
        Assert.Equal(".spec.replicas", FieldPath.Display("f:spec\0f:replicas"));
        Assert.Equal(".spec.containers[name=\"app\"].image", FieldPath.Display("f:spec\0f:containers\0k:{\"name\":\"app\"}\0f:image"));
        Assert.Equal(".metadata.finalizers[=\"a/b\"]", FieldPath.Display("f:metadata\0f:finalizers\0v:\"a/b\""));
    }

    [Fact]
    public void Apply_conflict_message_for_several_conflicts_groups_by_manager()
    {
        var error = ApplyConflictException.Create([new ApplyConflict("\"b\"", ".spec.x"), new ApplyConflict("\"a\"", ".spec.y"), new ApplyConflict("\"a\"", ".spec.z")]);

        Assert.Equal("Apply failed with 3 conflicts: conflicts with \"a\":\n- .spec.y\n- .spec.z\nconflicts with \"b\":\n- .spec.x", error.Message);
        Assert.Equal(409, error.Code);
    }
}
