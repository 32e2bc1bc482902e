using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Features.Design;

/// <summary>
/// A product structure frozen for a released revision: the live nodes (under the root, the trash left out) with
/// their fields, and every parameter and constraint with its value then. <see cref="Cut"/> is the last operation it
/// holds; <see cref="Problems"/> are what keeps it from being released (a parameter in error, a constraint violated).
/// </summary>
internal sealed record RevisionStructure(IReadOnlyList<NodeDto> Nodes, IReadOnlyList<ParameterDto> Parameters)
{
    public OpStamp Cut { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>The requirements and their status when the revision was released (empty in revisions released before requirements existed).</summary>
    public IReadOnlyList<RequirementDto> Requirements { get; init; } = [];

    public static RevisionStructure Of(DesignTree tree, ParameterSheet sheet)
    {
        var live = tree.Parents.Keys.Where(n => tree.IsUnder(n, DesignTree.Root)).ToHashSet(StringComparer.Ordinal);
        var nodes = live.Order(StringComparer.Ordinal)
            .Select(n => new NodeDto(n, tree.Parents[n], tree.FieldsOf(n).Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)))
            .ToList();
        var results = sheet.Results.Where(r => live.Contains(r.Ref.Node))
            .OrderBy(r => r.Ref.Node, StringComparer.Ordinal).ThenBy(r => r.Ref.Field, StringComparer.Ordinal).ToList();
        // A requirement's verification does not block a release: the revision records where each requirement stands.
        var problems = results.Where(r => !r.Ref.Field.StartsWith(DesignFields.VerifyPrefix, StringComparison.Ordinal) && (r.Error is not null || r.Holds == false))
            .Select(r => $"{r.Ref.Field} of {DesignRules.Path(tree, r.Ref.Node)}: {r.Error ?? $"constraint '{r.Text}' is violated"}")
            .ToList();
        var cut = tree.Last > tree.Floor ? tree.Last : tree.Floor;
        return new RevisionStructure(nodes, results.Select(Dto).ToList()) { Cut = cut, Problems = problems, Requirements = global::Millwright.Features.Design.Requirements.Of(tree, sheet, global::Millwright.Features.Design.Requirements.KeysOf(tree)) };
    }

    public static ParameterDto Dto(ParameterResult r)
    {
        var (number, unit) = r.Shown;
        return new ParameterDto(r.Ref.Node, r.Ref.Field, r.Text, number.Length == 0 ? null : number, number.Length == 0 ? null : unit, r.Error, r.Holds);
    }

    /// <summary>The nodes by id, and the path of each (names where they have one) for messages and impact lists.</summary>
    public Dictionary<string, NodeDto> ById() => Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);

    public string PathOf(string node)
    {
        var byId = ById();
        var parts = new List<string>();
        var current = node;
        while (byId.TryGetValue(current, out var n) && parts.Count <= byId.Count)
        {
            parts.Add(n.Fields.TryGetValue(DesignFields.Name, out var name) && name is not null ? $"{current} ({name})" : current);
            current = n.Parent;
        }

        parts.Add(current);
        parts.Reverse();
        return string.Join(" / ", parts);
    }
}
