namespace Millwright.Features.Design;

/// <summary>
/// The difference between two released revisions: nodes added and removed, nodes moved to another parent, and every
/// field (parameters included) whose value changed, with old and new value; computed parameter values that changed
/// because an input did are listed too, so a reviewer sees a mass change that no one typed.
/// </summary>
internal static class RevisionDiff
{
    public static RevisionDiffDto Between(long fromNumber, RevisionStructure from, long toNumber, RevisionStructure to)
    {
        var before = from.ById();
        var after = to.ById();
        var added = after.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => new DiffNodeDto(k, to.PathOf(k))).ToList();
        var removed = before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => new DiffNodeDto(k, from.PathOf(k))).ToList();
        var moved = new List<DiffMoveDto>();
        var fields = new List<DiffFieldDto>();
        foreach (var (id, node) in after.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(id, out var old))
            {
                continue;
            }

            if (old.Parent != node.Parent)
            {
                moved.Add(new DiffMoveDto(id, from.PathOf(id), to.PathOf(id)));
            }

            foreach (var field in old.Fields.Keys.Union(node.Fields.Keys).Order(StringComparer.Ordinal))
            {
                var (was, now) = (old.Fields.GetValueOrDefault(field), node.Fields.GetValueOrDefault(field));
                if (was != now)
                {
                    fields.Add(new DiffFieldDto(id, to.PathOf(id), field, was, now));
                }
            }
        }

        var values = new List<DiffFieldDto>();
        var oldValues = from.Parameters.ToDictionary(p => (p.Node, p.Field));
        foreach (var p in to.Parameters)
        {
            if (oldValues.TryGetValue((p.Node, p.Field), out var q) && q.Text == p.Text && (q.Value, q.Unit) != (p.Value, p.Unit))
            {
                values.Add(new DiffFieldDto(p.Node, to.PathOf(p.Node), p.Field, Show(q), Show(p)));
            }
        }

        return new RevisionDiffDto(fromNumber, toNumber, added, removed, moved, fields, values);
    }

    private static string? Show(ParameterDto p) => p.Value is null ? null : p.Unit is { Length: > 0 } u ? $"{p.Value} {u}" : p.Value;
}
