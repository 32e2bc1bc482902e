using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Machines;

/// <summary>Machines (ISA-95 work units): one per connected device, placed on a line, of one machine type.</summary>
internal static class Machines
{
    private const string Columns = "id, line_id, type_id, name, description, created_at, updated_at";

    public static readonly CrudOperations<MachineInput, MachineDto, MachineQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<MachineDto>> ListAsync(Session s, MachineQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<MachineRow>(
            $"""
            SELECT {Columns} FROM machines m
            WHERE tenant_id = @Tenant AND id > @After
              AND (@LineId IS NULL OR line_id = @LineId)
              AND (@TypeId IS NULL OR type_id = @TypeId)
              AND (@SiteId IS NULL OR line_id IN (
                    SELECT l.id FROM lines l JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
                    WHERE l.tenant_id = @Tenant AND a.site_id = @SiteId))
              AND (@AreaId IS NULL OR line_id IN (SELECT l.id FROM lines l WHERE l.tenant_id = @Tenant AND l.area_id = @AreaId))
              AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.LineId, query.TypeId, query.SiteId, query.AreaId, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<MachineDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<MachineRow>($"SELECT {Columns} FROM machines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("machine", id);

    public static async Task<MachineDto?> FindByNameAsync(Session s, string name) =>
        (await s.QueryOneAsync<MachineRow>($"SELECT {Columns} FROM machines WHERE tenant_id = @Tenant AND name = @name", new { s.Tenant, name }))?.AsDto();

    public static async Task<MachineDto> CreateAsync(Session s, MachineInput input)
    {
        var machine = await ValidateAsync(s, input);
        await Quota.EnsureRoomAsync(s, s.Tenant, "machines", s.Quotas.Machines, "SELECT COUNT(*) FROM machines WHERE tenant_id = @Tenant");
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO machines (tenant_id, line_id, type_id, name, description, created_at, updated_at)
                VALUES (@Tenant, @LineId, @TypeId, @Name, @Description, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, machine.LineId, machine.TypeId, machine.Name, machine.Description, s.Now }),
            $"A machine named '{machine.Name}' already exists.");
        await s.AuditAsync("create", "machine", id, $"created machine '{machine.Name}' on line {machine.LineId}");
        return await GetAsync(s, id);
    }

    public static async Task<MachineDto> UpdateAsync(Session s, long id, MachineInput input)
    {
        var machine = await ValidateAsync(s, input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                """
                UPDATE machines SET line_id = @LineId, type_id = @TypeId, name = @Name, description = @Description, updated_at = @Now
                WHERE tenant_id = @Tenant AND id = @id
                """,
                new { s.Tenant, id, machine.LineId, machine.TypeId, machine.Name, machine.Description, s.Now }),
            $"A machine named '{machine.Name}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("machine", id);
        }

        await s.AuditAsync("update", "machine", id, $"updated machine '{machine.Name}'");

        // A renamed machine's topics move: its device is re-checked (and closed, to log in under the new name).
        s.AccessChanged(AccessChange.OfMachine(s.Tenant, id));
        return await GetAsync(s, id);
    }

    /// <summary>Deleting a machine deletes its device credentials with it (ON DELETE CASCADE).</summary>
    public static async Task DeleteAsync(Session s, long id)
    {
        var machine = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM machines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "machine", id, $"deleted machine '{machine.Name}' and its device credentials");
        s.AccessChanged(AccessChange.OfMachine(s.Tenant, id));
    }

    private static async Task<MachineInput> ValidateAsync(Session s, MachineInput input)
    {
        var v = new Validator();
        var lineId = v.Id("lineId", input.LineId);
        var typeId = v.Id("typeId", input.TypeId);
        var name = v.Slug("name", input.Name);
        var description = v.Description("description", input.Description);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("lines", "lineId", "line", lineId);
        await s.RequireReferenceAsync("machine_types", "typeId", "machine type", typeId);
        return new MachineInput(lineId, typeId, name, description);
    }
}
