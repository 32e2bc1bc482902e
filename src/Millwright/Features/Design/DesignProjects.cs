using Millwright.Api;
using Millwright.Design;

namespace Millwright.Features.Design;

/// <summary>Design projects of a tenant: creating and listing them, reading a structure and a field's history.</summary>
internal static class DesignProjects
{
    private const string Columns = "id, name, product_family, created_at, created_by, idea_id";

    public static async Task<ProjectDto> CreateAsync(Session s, ProjectInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        var family = input.ProductFamily is null ? null : v.Name("productFamily", input.ProductFamily);
        v.ThrowIfInvalid();
        if (input.IdeaId is { } ideaId)
        {
            // Read from the makerspace's table: a project grows from an accepted idea of the same tenant.
            var status = await s.QueryOneAsync<string>("SELECT status FROM ideas WHERE tenant_id = @Tenant AND id = @ideaId", new { s.Tenant, ideaId });
            if (status != "accepted")
            {
                throw ApiProblem.Invalid("ideaId", status is null ? $"there is no idea {ideaId}" : $"idea {ideaId} is {status}; a project grows from an accepted idea");
            }
        }

        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                "INSERT INTO design_projects (tenant_id, name, product_family, created_at, created_by, idea_id) VALUES (@Tenant, @name, @family, @Now, @Actor, @IdeaId) RETURNING id",
                new { s.Tenant, name, family, s.Now, s.Caller.Actor, input.IdeaId }),
            $"a design project named '{name}' exists already");
        await s.AuditAsync("create", "design_project", id, $"created design project '{name}'");
        return await GetAsync(s, id);
    }

    public static async Task<IReadOnlyList<ProjectDto>> ListAsync(Session s) =>
        (await s.QueryAsync<ProjectRow>($"SELECT {Columns} FROM design_projects WHERE tenant_id = @Tenant ORDER BY id", new { s.Tenant })).Select(r => r.AsDto()).ToList();

    public static async Task<ProjectDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<ProjectRow>($"SELECT {Columns} FROM design_projects WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("design project", id);

    public static async Task<StructureDto> StructureAsync(Session s, DesignHub hub, long id)
    {
        var room = await hub.RoomAsync(s.Tenant, id, CancellationToken.None);
        var (clock, count, nodes) = room.Read(t => (t.Clock, t.Count, t.Parents.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new NodeDto(p.Key, p.Value, t.FieldsOf(p.Key).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal))).ToList()));
        var present = room.Presence().Select(p => new PresenceDto(p.Replica, p.Actor, p.Node)).ToList();
        return new StructureDto(id, clock, count, nodes, present);
    }

    /// <summary>Every parameter and constraint with its value, sorted by node and field; constraints violated or in error first when asked.</summary>
    public static async Task<IReadOnlyList<ParameterDto>> ParametersAsync(Session s, DesignHub hub, long id)
    {
        var room = await hub.RoomAsync(s.Tenant, id, CancellationToken.None);
        return room.Parameters()
            .OrderBy(r => r.Ref.Node, StringComparer.Ordinal).ThenBy(r => r.Ref.Field, StringComparer.Ordinal)
            .Select(RevisionStructure.Dto)
            .ToList();
    }

    /// <summary>Every write of <paramref name="field"/> of <paramref name="node"/> (field <c>parent</c>: every move), oldest first.</summary>
    public static async Task<IReadOnlyList<FieldChangeDto>> HistoryAsync(Session s, DesignHub hub, long id, string? node, string? field)
    {
        var v = new Validator();
        if (!DesignNames.IsNode(node))
        {
            v.Add("node", "a node id is required");
        }

        if (field != "parent" && !DesignNames.IsField(field))
        {
            v.Add("field", "a field name (or parent, for moves) is required");
        }

        v.ThrowIfInvalid();
        var room = await hub.RoomAsync(s.Tenant, id, CancellationToken.None);
        var rows = field == "parent"
            ? await s.QueryAsync<HistoryRow>(
                "SELECT counter, replica, actor, stored_at, parent AS value FROM design_ops WHERE tenant_id = @Tenant AND project_id = @id AND node = @node AND kind = 'move'",
                new { s.Tenant, id, node })
            : await s.QueryAsync<HistoryRow>(
                "SELECT counter, replica, actor, stored_at, value FROM design_ops WHERE tenant_id = @Tenant AND project_id = @id AND node = @node AND kind = 'set' AND field = @field",
                new { s.Tenant, id, node, field });
        var skipped = room.Read(t => rows.Where(r => t.Skipped.Contains(new OpStamp(r.Counter, r.Replica))).Select(r => (r.Counter, r.Replica)).ToHashSet());
        return rows.OrderBy(r => new OpStamp(r.Counter, r.Replica))
            .Select(r => new FieldChangeDto(r.Counter, r.Replica, r.Actor, DateTimeOffset.FromUnixTimeMilliseconds(r.StoredAt), r.Value, skipped.Contains((r.Counter, r.Replica))))
            .ToList();
    }

    private sealed class ProjectRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string? ProductFamily { get; set; }
        public long CreatedAt { get; set; }
        public string CreatedBy { get; set; } = "";
        public long? IdeaId { get; set; }

        public ProjectDto AsDto() => new(Id, Name, ProductFamily, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy, IdeaId);
    }

    private sealed class HistoryRow
    {
        public long Counter { get; set; }
        public string Replica { get; set; } = "";
        public string Actor { get; set; } = "";
        public long StoredAt { get; set; }
        public string? Value { get; set; }
    }
}
