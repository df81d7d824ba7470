using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing.OpenApi;

namespace BuildKitController.Core.Tests.OpenApi;

public sealed class StructuralSchemaTests
{
    private const string SchemaYaml = """
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            default: {}
            required: [name]
            properties:
              name: {type: string, minLength: 2, maxLength: 5, pattern: '^[a-z]+$'}
              count: {type: integer, format: int32, minimum: 1, maximum: 10, default: 3}
              ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
              step: {type: integer, multipleOf: 5}
              mode: {type: string, enum: [a, b], default: a}
              enabled: {type: boolean, default: true}
              nullableText: {type: string, nullable: true}
              when: {type: string, format: date-time}
              quantity:
                anyOf: [{type: integer}, {type: string}]
                x-kubernetes-int-or-string: true
                pattern: '^[0-9]+m?$'
              labels:
                type: object
                additionalProperties: {type: string}
              nested:
                type: object
                default: {}
                properties:
                  inner: {type: string, default: x}
                  deep:
                    type: object
                    properties:
                      leaf: {type: integer, default: 7}
              items:
                type: array
                maxItems: 2
                items:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
                    weight: {type: integer, default: 1}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port]
                items:
                  type: object
                  properties:
                    port: {type: integer}
                    name: {type: string}
              free:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known: {type: integer}
                  strict:
                    type: object
                    properties:
                      only: {type: string}
              either:
                x-kubernetes-preserve-unknown-fields: true
                required: [type]
                properties:
                  type: {type: string, enum: [x, y]}
                  extra:
                    type: object
                    properties:
                      flag: {type: boolean, default: false}
          status:
            type: object
            properties:
              phase: {type: string}
        """;

    private static StructuralSchema Schema() => StructuralSchema.Parse(YamlJson.ParseSingle(SchemaYaml));

    private static JsonNode Object(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void A_valid_object_has_no_errors()
    {
        var value = Object("""{"apiVersion":"v1","kind":"K","metadata":{"name":"n","labels":{"a":"b"}},"spec":{"name":"abc","count":2,"ratio":0.5,"when":"2025-01-01T00:00:00Z","quantity":"500m","labels":{"k":"v"},"items":[{"id":"i"}],"free":{"anything":[1,{"x":true}]}},"status":{"phase":"Ready"}}""");

        Assert.Empty(Schema().Validate(value));
    }

    [Theory]
    [InlineData("""{"spec":{"name":"abc","count":"2"}}""", "spec.count: Invalid value: \"2\": must be of type integer")]
    [InlineData("""{"spec":{"name":"abc","count":2.5}}""", "spec.count: Invalid value: 2.5: must be of type integer")]
    [InlineData("""{"spec":{"name":"abc","count":0}}""", "spec.count: Invalid value: 0: should be greater than or equal to 1")]
    [InlineData("""{"spec":{"name":"abc","count":11}}""", "spec.count: Invalid value: 11: should be less than or equal to 10")]
    [InlineData("""{"spec":{"name":"abc","ratio":0}}""", "spec.ratio: Invalid value: 0: should be greater than 0")]
    [InlineData("""{"spec":{"name":"abc","step":7}}""", "spec.step: Invalid value: 7: should be a multiple of 5")]
    [InlineData("""{"spec":{"name":"abc","mode":"c"}}""", "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"")]
    [InlineData("""{"spec":{"name":"abc","enabled":"yes"}}""", "spec.enabled: Invalid value: \"yes\": must be of type boolean")]
    [InlineData("""{"spec":{}}""", "spec.name: Required value")]
    [InlineData("""{"spec":{"name":"a"}}""", "spec.name: Invalid value: \"a\": should be at least 2 chars long")]
    [InlineData("""{"spec":{"name":"abcdef"}}""", "spec.name: Too long: may not be more than 5 chars")]
    [InlineData("""{"spec":{"name":"ab1"}}""", "spec.name: Invalid value: \"ab1\": should match '^[a-z]+$'")]
    [InlineData("""{"spec":{"name":"abc","when":"yesterday"}}""", "spec.when: Invalid value: \"yesterday\": must be a date-time (RFC 3339)")]
    [InlineData("""{"spec":{"name":"abc","quantity":1.5}}""", "spec.quantity: Invalid value: 1.5: must be of type integer or string")]
    [InlineData("""{"spec":{"name":"abc","quantity":"1Gi"}}""", "spec.quantity: Invalid value: \"1Gi\": should match '^[0-9]+m?$'")]
    [InlineData("""{"spec":{"name":"abc","labels":{"k":1}}}""", "spec.labels[k]: Invalid value: 1: must be of type string")]
    [InlineData("""{"spec":{"name":"abc","items":[{}]}}""", "spec.items[0].id: Required value")]
    [InlineData("""{"spec":{"name":"abc","items":[{"id":"a"},{"id":"b"},{"id":"c"}]}}""", "spec.items: Too many: 3: must have at most 2 items")]
    [InlineData("""{"spec":{"name":"abc","items":{"id":"a"}}}""", "spec.items: Invalid value: {\"id\":\"a\"}: must be of type array")]
    [InlineData("""{"spec":{"name":"abc","tags":["a","a"]}}""", "spec.tags[1]: Duplicate value: \"a\"")]
    [InlineData("""{"spec":{"name":"abc","unknown":1}}""", "spec.unknown: Unknown field")]
    [InlineData("""{"spec":{"name":"abc","free":{"known":"x"}}}""", "spec.free.known: Invalid value: \"x\": must be of type integer")]
    [InlineData("""{"spec":{"name":"abc","free":{"strict":{"other":1}}}}""", "spec.free.strict.other: Unknown field")]
    [InlineData("""{"spec":{"name":"abc","either":{"extra":{}}}}""", "spec.either.type: Required value")]
    [InlineData("""{"spec":{"name":"abc","either":{"type":"z"}}}""", "spec.either.type: Unsupported value: \"z\": supported values: \"x\", \"y\"")]
    [InlineData("""{"spec":{"name":"abc","count":null}}""", "spec.count: Invalid value: null: must be of type integer")]
    [InlineData("""{"spec":"text"}""", "spec: Invalid value: \"text\": must be of type object")]
    [InlineData("""{"metadata":"m"}""", "metadata: Invalid value: \"m\": must be of type object")]
    [InlineData("""{"other":1}""", "other: Unknown field")]
    public void Violations_are_reported_with_path_and_reason(string json, string expected)
    {
        Assert.Contains(expected, Schema().Validate(Object(json)));
    }

    [Fact]
    public void Map_list_keys_must_be_unique()
    {
        var errors = Schema().Validate(Object("""{"spec":{"name":"abc","ports":[{"port":1,"name":"a"},{"port":2},{"port":1,"name":"b"}]}}"""));

        Assert.Equal("spec.ports[2]: Duplicate value: map keys port repeat an earlier item", Assert.Single(errors));
    }

    [Fact]
    public void Nullable_fields_accept_null()
    {
        Assert.Empty(Schema().Validate(Object("""{"spec":{"name":"abc","nullableText":null}}""")));
    }

    [Fact]
    public void A_string_or_object_node_accepts_both_shapes()
    {
        Assert.Empty(Schema().Validate(Object("""{"spec":{"name":"abc","either":"x"}}""")));
        Assert.Empty(Schema().Validate(Object("""{"spec":{"name":"abc","either":{"type":"y","anything":1}}}""")));
    }

    [Fact]
    public void Defaults_fill_missing_fields_recursively_including_defaulted_parents()
    {
        var value = Object("""{"metadata":{"name":"n"}}""");

        Schema().ApplyDefaults(value);

        Assert.Equal("""{"metadata":{"name":"n"},"spec":{"count":3,"mode":"a","enabled":true,"nested":{"inner":"x"}}}""", value.ToJsonString());
    }

    [Fact]
    public void Defaults_do_not_replace_present_values_and_reach_array_items_and_string_or_object_nodes()
    {
        var value = Object("""{"spec":{"name":"abc","count":9,"enabled":false,"nested":{"deep":{}},"items":[{"id":"a"},{"id":"b","weight":5}],"either":{"type":"x","extra":{}}}}""");

        Schema().ApplyDefaults(value);

        Assert.Equal(9, (long)value["spec"]!["count"]!);
        Assert.False((bool)value["spec"]!["enabled"]!);
        Assert.Equal(7, (long)value["spec"]!["nested"]!["deep"]!["leaf"]!);
        Assert.Equal("x", (string?)value["spec"]!["nested"]!["inner"]);
        Assert.Equal(1, (long)value["spec"]!["items"]![0]!["weight"]!);
        Assert.Equal(5, (long)value["spec"]!["items"]![1]!["weight"]!);
        Assert.False((bool)value["spec"]!["either"]!["extra"]!["flag"]!);
    }

    [Fact]
    public void Nulls_of_non_nullable_fields_are_dropped_or_defaulted_and_nullable_nulls_stay()
    {
        var value = Object("""{"spec":{"name":"abc","count":null,"when":null,"nullableText":null,"nested":null}}""");

        Schema().ApplyDefaults(value);

        Assert.Equal(3, (long)value["spec"]!["count"]!);
        Assert.False(value["spec"]!.AsObject().ContainsKey("when"));
        Assert.True(value["spec"]!.AsObject().ContainsKey("nullableText"));
        Assert.Equal("x", (string?)value["spec"]!["nested"]!["inner"]);
        Assert.Empty(Schema().Validate(value));
    }

    [Fact]
    public void Default_values_are_copies()
    {
        var schema = Schema();
        var first = Object("{}");
        var second = Object("{}");
        schema.ApplyDefaults(first);
        schema.ApplyDefaults(second);

        first["spec"]!["nested"]!["inner"] = "changed";

        Assert.Equal("x", (string?)second["spec"]!["nested"]!["inner"]);
    }

    [Fact]
    public void Pruning_drops_unknown_fields_but_keeps_the_envelope_and_preserved_subtrees()
    {
        var value = Object("""{"apiVersion":"v1","kind":"K","metadata":{"name":"n","whatever":1},"junk":1,"spec":{"name":"abc","unknown":{"a":1},"labels":{"k":"v"},"items":[{"id":"a","extra":true}],"free":{"anything":1,"strict":{"only":"o","drop":1}},"either":{"type":"x","kept":1,"extra":{"flag":true,"gone":1}}},"status":{"phase":"P","extra":1}}""");

        Schema().Prune(value);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"K","metadata":{"name":"n","whatever":1},"spec":{"name":"abc","labels":{"k":"v"},"items":[{"id":"a"}],"free":{"anything":1,"strict":{"only":"o"}},"either":{"type":"x","kept":1,"extra":{"flag":true}}},"status":{"phase":"P"}}""",
            value.ToJsonString());
    }

    [Fact]
    public void Admit_prunes_defaults_and_validates_in_that_order()
    {
        var value = Object("""{"spec":{"name":"abc","bogus":1,"count":null}}""");

        var errors = Schema().Admit(value);

        Assert.Empty(errors);
        Assert.Null(value["spec"]!["bogus"]);
        Assert.Equal(3, (long)value["spec"]!["count"]!);
    }

    [Fact]
    public void Validation_does_not_modify_the_value()
    {
        var value = Object("""{"spec":{"name":"abc","unknown":1}}""");
        var before = value.ToJsonString();

        _ = Schema().Validate(value);

        Assert.Equal(before, value.ToJsonString());
    }

    [Fact]
    public void AllOf_OneOf_and_Not_are_checked()
    {
        var schema = StructuralSchema.Parse(YamlJson.ParseSingle("""
            type: object
            properties:
              a:
                type: integer
                allOf: [{minimum: 1}, {maximum: 5}]
              b:
                type: string
                oneOf: [{enum: [x, y]}, {enum: [y, z]}]
              c:
                type: string
                not: {enum: [forbidden]}
            """));

        Assert.Empty(schema.Validate(Object("""{"a":3,"b":"x","c":"ok"}""")));
        var errors = schema.Validate(Object("""{"a":9,"b":"y","c":"forbidden"}"""));
        Assert.Contains("a: Invalid value: 9: should be less than or equal to 5", errors);
        Assert.Contains(errors, e => e.StartsWith("b: Invalid value: \"y\": must match exactly one schema in oneOf", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("c: Invalid value: \"forbidden\": must not match", StringComparison.Ordinal));
    }

    [Fact]
    public void Embedded_resources_keep_their_envelope()
    {
        var schema = StructuralSchema.Parse(YamlJson.ParseSingle("""
            type: object
            properties:
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties:
                  spec: {type: object, properties: {x: {type: integer}}}
            """));
        var value = Object("""{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":1,"y":2},"z":3}}""");

        schema.Prune(value);

        Assert.Equal("""{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":1}}}""", value.ToJsonString());
        Assert.Empty(schema.Validate(value));
    }

    [Fact]
    public void The_schema_of_a_CRD_version_is_found()
    {
        var crd = YamlJson.ParseSingle("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            spec:
              versions:
                - name: v1alpha1
                  storage: false
                  schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {old: {type: string}}}}}}
                - name: v1
                  storage: true
                  schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {new: {type: string}}}}}}
            """);

        Assert.Empty(StructuralSchema.FromCustomResourceDefinition(crd).Validate(Object("""{"spec":{"new":"x"}}""")));
        Assert.Empty(StructuralSchema.FromCustomResourceDefinition(crd, "v1alpha1").Validate(Object("""{"spec":{"old":"x"}}""")));
        Assert.Throws<InvalidDataException>(() => StructuralSchema.FromCustomResourceDefinition(crd, "v2"));
    }

    [Fact]
    public void Malformed_schemas_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => StructuralSchema.Parse(Object("""{"type":"object","properties":{"a":1}}""")));
        Assert.Throws<InvalidDataException>(() => StructuralSchema.Parse(Object("""{"type":"integer","minimum":"low"}""")));
    }
}
