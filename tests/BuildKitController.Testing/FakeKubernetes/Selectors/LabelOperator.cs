namespace BuildKitController.Testing.FakeKubernetes.Selectors;

/// <summary>Operators of a label selector requirement.</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
