namespace Millwright.Design;

/// <summary>
/// One edit of a product structure. <see cref="Kind"/> says which fields matter: a move puts <see cref="Node"/>
/// under <see cref="Parent"/> (creating it on its first move; the trash node deletes it), a set writes one
/// field (name, quantity, material, a parameter) last-writer-wins by stamp.
/// </summary>
internal sealed record DesignOp(OpStamp Stamp, DesignOpKind Kind, string Node, string? Parent = null, string? Field = null, string? Value = null)
{
    public static DesignOp Move(OpStamp stamp, string node, string parent) => new(stamp, DesignOpKind.Move, node, Parent: parent);

    public static DesignOp Set(OpStamp stamp, string node, string field, string? value) => new(stamp, DesignOpKind.Set, node, Field: field, Value: value);
}
