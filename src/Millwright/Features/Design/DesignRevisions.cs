using System.Text.Json;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>
/// Released revisions (baselines): the structure frozen at a cut of the log, numbered 1, 2, ... per project and
/// never changed (no route writes one, and the log is settled at the cut so no late edit can land before it). The
/// first release needs nothing; every later one is the release of an approved change order (<see cref="DesignChanges"/>).
/// </summary>
internal static class DesignRevisions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<RevisionDto> ReleaseAsync(Sessions sessions, Caller caller, DesignHub hub, long id, RevisionInput input, CancellationToken ct)
    {
        var v = new Validator();
        var note = v.Description("note", input.Note) ?? "";
        v.ThrowIfInvalid();
        await sessions.RunAsync(caller, s => DesignProjects.GetAsync(s, id), ct);
        var room = await hub.RoomAsync(caller.Tenant, id, ct);
        var number = await room.FreezeAsync(frozen => sessions.RunAsync(caller, async s =>
        {
            if (frozen.Nodes.Count == 0)
            {
                throw ApiProblem.Conflict($"Design project {id} has no structure to release.");
            }

            if (frozen.Problems.Count > 0)
            {
                throw new ApiProblem(StatusCodes.Status409Conflict, "Conflict", $"The structure cannot be released: {string.Join("; ", frozen.Problems)}")
                {
                    Extensions = new Dictionary<string, object?> { ["problems"] = frozen.Problems },
                };
            }

            var last = await s.ScalarAsync<long?>("SELECT MAX(number) FROM design_revisions WHERE tenant_id = @Tenant AND project_id = @id", new { s.Tenant, id }) ?? 0;
            if (last > 0)
            {
                await DesignChanges.ConsumeAsync(s, id, input.ChangeId, last + 1);
            }
            else if (input.ChangeId is not null)
            {
                throw ApiProblem.Invalid("changeId", "the first revision is the baseline: it is released without a change order");
            }

            var structure = JsonSerializer.Serialize(new { frozen.Nodes, frozen.Parameters, frozen.Requirements }, Json);
            await s.ExecuteAsync(
                """
                INSERT INTO design_revisions (tenant_id, project_id, number, note, cut_counter, cut_replica, structure, released_at, released_by)
                VALUES (@Tenant, @id, @number, @note, @Counter, @Replica, @structure, @Now, @Actor)
                """,
                new { s.Tenant, id, number = last + 1, note, frozen.Cut.Counter, frozen.Cut.Replica, structure, s.Now, s.Caller.Actor });
            await s.AuditAsync("release", "design_revision", id, $"released revision {last + 1} of design project {id} ({frozen.Nodes.Count} nodes)"
                + (input.ChangeId is { } c ? $" by change order {c}" : ""));
            await Makerspace.FollowerNotifications.ProjectAsync(s, id, "revision", $"Revision {last + 1} of design project {id} was released: {note}");
            return last + 1;
        }, ct), ct);
        return await sessions.RunAsync(caller, s => GetAsync(s, id, number), ct);
    }

    public static async Task<IReadOnlyList<RevisionDto>> ListAsync(Session s, long id)
    {
        await DesignProjects.GetAsync(s, id);
        var rows = await s.QueryAsync<RevisionRow>($"{Select} WHERE r.tenant_id = @Tenant AND r.project_id = @id ORDER BY r.number", new { s.Tenant, id });
        return rows.Select(r => r.AsDto(null)).ToList();
    }

    public static async Task<RevisionDto> GetAsync(Session s, long id, long number)
    {
        var row = await FindAsync(s, id, number);
        return row.AsDto(JsonSerializer.Deserialize<RevisionStructure>(row.Structure, Json));
    }

    /// <summary>What changed from revision <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static async Task<RevisionDiffDto> DiffAsync(Session s, long id, long? from, long? to)
    {
        var v = new Validator();
        var a = v.Id("from", from);
        var b = v.Id("to", to);
        v.ThrowIfInvalid();
        var older = JsonSerializer.Deserialize<RevisionStructure>((await FindAsync(s, id, a)).Structure, Json)!;
        var newer = JsonSerializer.Deserialize<RevisionStructure>((await FindAsync(s, id, b)).Structure, Json)!;
        return RevisionDiff.Between(a, older, b, newer);
    }

    public static async Task<RevisionStructure> StructureAsync(Session s, long id, long number) =>
        JsonSerializer.Deserialize<RevisionStructure>((await FindAsync(s, id, number)).Structure, Json)!;

    private const string Select =
        """
        SELECT r.number, r.note, r.cut_counter, r.cut_replica, r.structure, r.released_at, r.released_by,
               c.id AS change_id, m.released_at AS manufactured_at
        FROM design_revisions r
        LEFT JOIN design_changes c ON c.tenant_id = r.tenant_id AND c.project_id = r.project_id AND c.revision = r.number
        LEFT JOIN design_manufacturing m ON m.tenant_id = r.tenant_id AND m.project_id = r.project_id AND m.revision = r.number
        """;

    private static async Task<RevisionRow> FindAsync(Session s, long id, long number)
    {
        await DesignProjects.GetAsync(s, id);
        return await s.QueryOneAsync<RevisionRow>($"{Select} WHERE r.tenant_id = @Tenant AND r.project_id = @id AND r.number = @number", new { s.Tenant, id, number })
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Design project {id} has no revision {number}.");
    }

    private sealed class RevisionRow
    {
        public long Number { get; set; }
        public string Note { get; set; } = "";
        public long CutCounter { get; set; }
        public string CutReplica { get; set; } = "";
        public string Structure { get; set; } = "";
        public long ReleasedAt { get; set; }
        public string ReleasedBy { get; set; } = "";
        public long? ChangeId { get; set; }
        public long? ManufacturedAt { get; set; }

        public RevisionDto AsDto(RevisionStructure? structure) => new(
            Number, Note, $"{CutCounter}@{CutReplica}", DateTimeOffset.FromUnixTimeMilliseconds(ReleasedAt), ReleasedBy, ChangeId,
            ManufacturedAt is { } m ? DateTimeOffset.FromUnixTimeMilliseconds(m) : null, structure?.Nodes, structure?.Parameters);
    }
}
