namespace Millwright.Design.Parameters;

/// <summary>A parameter or constraint of a node: its field (<c>param.length</c>, <c>constraint.fits</c>) on that node.</summary>
internal readonly record struct ParameterRef(string Node, string Field)
{
    public string Name => Field[(Field.IndexOf('.', StringComparison.Ordinal) + 1)..];

    public override string ToString() => $"{Node}.{Name}";
}
