using Millwright.Design;

namespace Millwright.Features.Design;

/// <summary>
/// The structural rules of a bill of materials that an edit must keep, checked against the server's replica before
/// the edit enters the log (a cycle made by concurrent moves is the merge's to revert, see <see cref="DesignTree"/>).
/// Refusals name the path to the offending element.
/// </summary>
internal static class DesignRules
{
    public static string? CheckMove(DesignTree tree, DesignOp op)
    {
        var parent = op.Parent!;
        if (parent != DesignTree.Trash && tree.FieldOf(parent, DesignFields.Type) == "part")
        {
            return $"{Path(tree, parent)} is a part; only assemblies hold other parts";
        }

        if (parent == DesignTree.Trash || tree.FieldOf(op.Node, DesignFields.Number) is not { } number)
        {
            return null;
        }

        return UniqueClash(tree, op.Node, number, parent, IsUnique(tree, op.Node));
    }

    public static string? CheckSet(DesignTree tree, DesignOp op)
    {
        switch (op.Field)
        {
            case DesignFields.Type when op.Value == "part" && tree.Parents.Any(p => p.Value == op.Node && !tree.IsUnder(p.Key, DesignTree.Trash)):
                return $"{Path(tree, op.Node)} holds other parts, so it cannot be a part";
            case DesignFields.Number when op.Value is not null && tree.Parents.TryGetValue(op.Node, out var parent) && parent != DesignTree.Trash:
                return UniqueClash(tree, op.Node, op.Value, parent, IsUnique(tree, op.Node));
            case DesignFields.Unique when op.Value == "true" && tree.FieldOf(op.Node, DesignFields.Number) is { } number && tree.Parents.TryGetValue(op.Node, out var at):
                return UniqueClash(tree, op.Node, number, at, unique: true);
            default:
                return null;
        }
    }

    /// <summary>A part marked unique may have one parent: another live occurrence of its number under a different parent is refused.</summary>
    private static string? UniqueClash(DesignTree tree, string node, string number, string parent, bool unique)
    {
        foreach (var (other, otherParent) in tree.Parents)
        {
            if (other == node || otherParent == parent || tree.FieldOf(other, DesignFields.Number) != number || tree.IsUnder(other, DesignTree.Trash))
            {
                continue;
            }

            if (unique || IsUnique(tree, other))
            {
                return $"part {number} may have one parent only and is already at {Path(tree, other)}";
            }
        }

        return null;
    }

    private static bool IsUnique(DesignTree tree, string node) => tree.FieldOf(node, DesignFields.Unique) == "true";

    public static string Path(DesignTree tree, string node) => string.Join(" / ", tree.PathOf(node).Select(n => tree.FieldOf(n, DesignFields.Name) is { } name ? $"{n} ({name})" : n));
}
