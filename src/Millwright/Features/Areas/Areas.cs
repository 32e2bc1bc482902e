using Millwright.Api;

namespace Millwright.Features.Areas;

/// <summary>Areas: a hall or department of a site; names are unique within their site.</summary>
internal static class Areas
{
    private const string Columns = "id, site_id, name, description, created_at, updated_at";

    public static readonly CrudOperations<AreaInput, AreaDto, AreaQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<AreaDto>> ListAsync(Session s, AreaQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<AreaRow>(
            $"""
            SELECT {Columns} FROM areas
            WHERE tenant_id = @Tenant AND id > @After AND (@SiteId IS NULL OR site_id = @SiteId)
              AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.SiteId, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<AreaDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<AreaRow>($"SELECT {Columns} FROM areas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("area", id);

    public static async Task<AreaDto?> FindByNameAsync(Session s, long siteId, string name) =>
        (await s.QueryOneAsync<AreaRow>($"SELECT {Columns} FROM areas WHERE tenant_id = @Tenant AND site_id = @siteId AND name = @name", new { s.Tenant, siteId, name }))?.AsDto();

    public static async Task<AreaDto> CreateAsync(Session s, AreaInput input)
    {
        var area = await ValidateAsync(s, input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO areas (tenant_id, site_id, name, description, created_at, updated_at)
                VALUES (@Tenant, @SiteId, @Name, @Description, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, area.SiteId, area.Name, area.Description, s.Now }),
            $"Site {area.SiteId} already has an area named '{area.Name}'.");
        await s.AuditAsync("create", "area", id, $"created area '{area.Name}' in site {area.SiteId}");
        return await GetAsync(s, id);
    }

    public static async Task<AreaDto> UpdateAsync(Session s, long id, AreaInput input)
    {
        var area = await ValidateAsync(s, input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                "UPDATE areas SET site_id = @SiteId, name = @Name, description = @Description, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, id, area.SiteId, area.Name, area.Description, s.Now }),
            $"Site {area.SiteId} already has an area named '{area.Name}'.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("area", id);
        }

        await s.AuditAsync("update", "area", id, $"updated area '{area.Name}'");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var area = await GetAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync("DELETE FROM areas WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"Area {id} still has lines; delete or move them first.");
        await s.AuditAsync("delete", "area", id, $"deleted area '{area.Name}'");
    }

    private static async Task<AreaInput> ValidateAsync(Session s, AreaInput input)
    {
        var v = new Validator();
        var siteId = v.Id("siteId", input.SiteId);
        var name = v.Name("name", input.Name);
        var description = v.Description("description", input.Description);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("sites", "siteId", "site", siteId);
        return new AreaInput(siteId, name, description);
    }
}
