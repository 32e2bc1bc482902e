using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Features.Design;

/// <summary>
/// Requirements of a design and their status, computed from the structure and the evaluated parameters so that it
/// follows every edit: a requirement (<c>req.NAME</c>, in words) is stated on a node, which links it to that part (or,
/// on the root, to the project), and its verification (<c>verify.NAME</c>, a comparison the parameter sheet evaluates)
/// links it to the parts whose parameters it reads.
/// </summary>
internal static class Requirements
{
    /// <summary>The requirement keys (node, name) of <paramref name="tree"/>: every node with a req. or verify. field.</summary>
    public static IEnumerable<(string Node, string Name)> KeysOf(DesignTree tree) =>
        tree.Fields.Where(f => f.Value is not null && DesignFields.IsRequirement(f.Key.Field)).Select(f => (f.Key.Node, NameOf(f.Key.Field))).Distinct();

    public static string NameOf(string field) => field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>Every requirement of <paramref name="keys"/> with its status, sorted by node and name.</summary>
    public static List<RequirementDto> Of(DesignTree tree, ParameterSheet sheet, IEnumerable<(string Node, string Name)> keys)
    {
        var list = keys.OrderBy(k => k.Node, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return [];
        }

        // What is wrong on each node (a constraint violated, a parameter in error): a requirement without its own
        // verification is unmet when one of its parts has such a problem.
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in sheet.Results)
        {
            if (!r.Ref.Field.StartsWith(DesignFields.VerifyPrefix, StringComparison.Ordinal) && (r.Error is not null || r.Holds == false))
            {
                problems.TryAdd(r.Ref.Node, r.Error is null ? $"{r.Ref.Field} '{r.Text}' is violated" : $"{r.Ref.Field}: {r.Error}");
            }
        }

        return list.Select(k => One(tree, sheet, problems, k.Node, k.Name)).ToList();
    }

    private static RequirementDto One(DesignTree tree, ParameterSheet sheet, Dictionary<string, string> problems, string node, string name)
    {
        var statement = tree.FieldOf(node, DesignFields.RequirementPrefix + name);
        var verifyField = DesignFields.VerifyPrefix + name;
        var verify = tree.FieldOf(node, verifyField);
        var path = DesignRules.Path(tree, node);
        var references = Read(verify, node);
        var partIds = new List<string>();
        if (node != DesignTree.Root)
        {
            partIds.Add(node);
        }

        partIds.AddRange(references.Select(r => r.Node).Where(n => n != DesignTree.Root));
        var live = partIds.Distinct(StringComparer.Ordinal).Where(n => tree.Contains(n) && tree.IsUnder(n, DesignTree.Root)).ToList();
        var parts = live.Select(n => new LinkedPartDto(n, DesignRules.Path(tree, n), tree.FieldOf(n, DesignFields.Number))).ToList();
        var parameters = references.Select(r => r.ToString()).Distinct(StringComparer.Ordinal).ToList();
        RequirementDto Make(string status, string? reason) =>
            new(node, name, path, statement, verify, status, status is "unmet" or "unlinked", reason, parts, parameters);

        if (node != DesignTree.Root && !tree.IsUnder(node, DesignTree.Root))
        {
            return Make("unlinked", $"{path} is deleted");
        }

        if (partIds.Count == 0 && parameters.Count == 0)
        {
            return Make("unlinked", "stated on the project and linked to no part: state it on a part or verify it with the parts' parameters");
        }

        if (partIds.Count > 0 && parts.Count == 0)
        {
            return Make("unlinked", "every part it is linked to is deleted");
        }

        if (verify is not null)
        {
            var result = sheet[new ParameterRef(node, verifyField)];
            return result switch
            {
                { Error: { } error } => Make("unmet", $"the verification does not evaluate: {error}"),
                { Holds: true } => Make("met", null),
                _ => Make("unmet", $"'{verify}' does not hold"),
            };
        }

        var problem = live.Select(n => problems.TryGetValue(n, out var p) ? $"{DesignRules.Path(tree, n)}: {p}" : null).FirstOrDefault(p => p is not null);
        return problem is null ? Make("unverified", $"no verification: write {verifyField} to say how it is met") : Make("unmet", problem);
    }

    private static IReadOnlyList<ParameterRef> Read(string? verify, string node)
    {
        if (verify is null)
        {
            return [];
        }

        try
        {
            return FormulaParser.Constraint(verify, node).References;
        }
        catch (FormulaException)
        {
            // A verification that does not parse links nothing; its error is the sheet's to report.
            return [];
        }
    }
}
