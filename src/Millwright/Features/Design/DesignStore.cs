using Dapper;
using Millwright.Design;
using Millwright.Storage;

namespace Millwright.Features.Design;

/// <summary>The design operation log in the database: what a room loads at start and appends before it acknowledges.</summary>
internal static class DesignStore
{
    public static async Task<bool> ProjectExistsAsync(IDatabase database, long tenant, long project, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM design_projects WHERE tenant_id = @tenant AND id = @project", new { tenant, project }, cancellationToken: ct)) > 0;
    }

    /// <summary>Every stored operation of the project, in stamp order (sorted here: the engines' text collations differ).</summary>
    public static async Task<(List<DesignOp> Ops, OpStamp Cut)> LoadAsync(IDatabase database, long tenant, long project, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<OpRow>(new CommandDefinition(
            "SELECT counter, replica, kind, node, parent, field, value FROM design_ops WHERE tenant_id = @tenant AND project_id = @project",
            new { tenant, project }, cancellationToken: ct));
        var ops = rows.Select(r => r.ToOp()).ToList();
        ops.Sort((a, b) => a.Stamp.CompareTo(b.Stamp));
        var cut = await connection.QuerySingleOrDefaultAsync<CutRow>(new CommandDefinition(
            "SELECT cut_counter, cut_replica FROM design_revisions WHERE tenant_id = @tenant AND project_id = @project ORDER BY number DESC LIMIT 1",
            new { tenant, project }, cancellationToken: ct));
        return (ops, cut is null ? default : new OpStamp(cut.CutCounter, cut.CutReplica));
    }

    /// <summary>Appends <paramref name="ops"/> in one transaction; returns once they are durable.</summary>
    public static async Task AppendAsync(IDatabase database, long tenant, long project, IReadOnlyList<(DesignOp Op, string Actor)> ops, long now, CancellationToken ct)
    {
        using var turn = await database.WriterTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO design_ops (tenant_id, project_id, counter, replica, kind, node, parent, field, value, actor, stored_at)
            VALUES (@tenant, @project, @Counter, @Replica, @Kind, @Node, @Parent, @Field, @Value, @Actor, @now)
            """,
            ops.Select(o => new
            {
                tenant, project, o.Op.Stamp.Counter, o.Op.Stamp.Replica, Kind = o.Op.Kind == DesignOpKind.Move ? "move" : "set",
                o.Op.Node, o.Op.Parent, o.Op.Field, o.Op.Value, o.Actor, now,
            }),
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    private sealed class CutRow
    {
        public long CutCounter { get; set; }
        public string CutReplica { get; set; } = "";
    }

    private sealed class OpRow
    {
        public long Counter { get; set; }
        public string Replica { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Node { get; set; } = "";
        public string? Parent { get; set; }
        public string? Field { get; set; }
        public string? Value { get; set; }

        public DesignOp ToOp() => new(new OpStamp(Counter, Replica), Kind == "move" ? DesignOpKind.Move : DesignOpKind.Set, Node, Parent, Field, Value);
    }
}
