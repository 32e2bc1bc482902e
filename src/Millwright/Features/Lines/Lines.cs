using Millwright.Api;

namespace Millwright.Features.Lines;

/// <summary>Lines (ISA-95 production lines or work centres) of an area; names are unique within their area.</summary>
internal static class Lines
{
    private const string Columns = "id, area_id, name, description, created_at, updated_at";

    public static readonly CrudOperations<LineInput, LineDto, LineQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<LineDto>> ListAsync(Session s, LineQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<LineRow>(
            $"""
            SELECT {Columns} FROM lines
            WHERE tenant_id = @Tenant AND id > @After AND (@AreaId IS NULL OR area_id = @AreaId)
              AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.AreaId, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<LineDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<LineRow>($"SELECT {Columns} FROM lines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("line", id);

    public static async Task<LineDto?> FindByNameAsync(Session s, long areaId, string name) =>
        (await s.QueryOneAsync<LineRow>($"SELECT {Columns} FROM lines WHERE tenant_id = @Tenant AND area_id = @areaId AND name = @name", new { s.Tenant, areaId, name }))?.AsDto();

    public static async Task<LineDto> CreateAsync(Session s, LineInput input)
    {
        var line = await ValidateAsync(s, input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO lines (tenant_id, area_id, name, description, created_at, updated_at)
                VALUES (@Tenant, @AreaId, @Name, @Description, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, line.AreaId, line.Name, line.Description, s.Now }),
            $"Area {line.AreaId} already has a line named '{line.Name}'.");
        await s.AuditAsync("create", "line", id, $"created line '{line.Name}' in area {line.AreaId}");
        return await GetAsync(s, id);
    }

    public static async Task<LineDto> UpdateAsync(Session s, long id, LineInput input)
    {
        var line = await ValidateAsync(s, input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                "UPDATE lines SET area_id = @AreaId, name = @Name, description = @Description, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, id, line.AreaId, line.Name, line.Description, s.Now }),
            $"Area {line.AreaId} already has a line named '{line.Name}'.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("line", id);
        }

        await s.AuditAsync("update", "line", id, $"updated line '{line.Name}'");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var line = await GetAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync("DELETE FROM lines WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"Line {id} still has machines; delete or move them first.");
        await s.AuditAsync("delete", "line", id, $"deleted line '{line.Name}'");
    }

    private static async Task<LineInput> ValidateAsync(Session s, LineInput input)
    {
        var v = new Validator();
        var areaId = v.Id("areaId", input.AreaId);
        var name = v.Name("name", input.Name);
        var description = v.Description("description", input.Description);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("areas", "areaId", "area", areaId);
        return new LineInput(areaId, name, description);
    }
}
