using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.Tests.FakeKubernetes.Patching;

public sealed class JsonPatchTests
{
    private static string Apply(string document, string patch) =>
        JsonPatch.Apply(Json.Parse(document), JsonPatch.Decode(System.Text.Json.Nodes.JsonNode.Parse(patch))).ToJsonString();

    [Fact]
    public void Supports_add_remove_replace_move_copy_and_test()
    {
        var result = Apply("""{"a":{"b":1},"list":[1,2],"x/y":0}""", """
            [{"op":"add","path":"/list/-","value":3},
             {"op":"add","path":"/list/0","value":0},
             {"op":"remove","path":"/list/1"},
             {"op":"replace","path":"/a/b","value":2},
             {"op":"copy","from":"/a","path":"/c"},
             {"op":"move","from":"/x~1y","path":"/z"},
             {"op":"test","path":"/c/b","value":2}]
            """);

        Assert.Equal("""{"a":{"b":2},"list":[0,2,3],"c":{"b":2},"z":0}""", result);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/missing/deeper","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/list/9","value":1}]""")]
    public void Failing_operations_throw(string patch)
    {
        Assert.Throws<PatchException>(() => Apply("""{"a":1,"list":[]}""", patch));
    }

    [Fact]
    public void Non_array_patch_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => JsonPatch.Decode(Json.Parse("""{"op":"add"}""")));
    }

    [Fact]
    public void Merge_patch_follows_RFC_7386()
    {
        var result = JsonMergePatch.Apply(Json.Parse("""{"a":"b","c":{"d":"e","f":"g"}}"""), Json.Parse("""{"a":"z","c":{"f":null}}"""));

        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", result!.ToJsonString());
    }
}
