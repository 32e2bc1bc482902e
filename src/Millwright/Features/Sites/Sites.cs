using Millwright.Api;

namespace Millwright.Features.Sites;

/// <summary>Sites (ISA-95 level 1 below the enterprise): a plant at one place, with the time zone its shifts run in.</summary>
internal static class Sites
{
    private const string Columns = "id, name, description, time_zone, latitude, longitude, created_at, updated_at";

    public static readonly CrudOperations<SiteInput, SiteDto, SiteQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<SiteDto>> ListAsync(Session s, SiteQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<SiteRow>(
            $"""
            SELECT {Columns} FROM sites
            WHERE tenant_id = @Tenant AND id > @After AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { s.Tenant, page.After, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<SiteDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<SiteRow>($"SELECT {Columns} FROM sites WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("site", id);

    public static async Task<SiteDto?> FindByNameAsync(Session s, string name) =>
        (await s.QueryOneAsync<SiteRow>($"SELECT {Columns} FROM sites WHERE tenant_id = @Tenant AND name = @name", new { s.Tenant, name }))?.AsDto();

    public static async Task<SiteDto> CreateAsync(Session s, SiteInput input)
    {
        var site = Validate(input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO sites (tenant_id, name, description, time_zone, latitude, longitude, created_at, updated_at)
                VALUES (@Tenant, @Name, @Description, @TimeZone, @Latitude, @Longitude, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, site.Name, site.Description, site.TimeZone, site.Latitude, site.Longitude, s.Now }),
            $"A site named '{site.Name}' already exists.");
        await s.AuditAsync("create", "site", id, $"created site '{site.Name}'");
        return await GetAsync(s, id);
    }

    public static async Task<SiteDto> UpdateAsync(Session s, long id, SiteInput input)
    {
        var site = Validate(input);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync(
                """
                UPDATE sites SET name = @Name, description = @Description, time_zone = @TimeZone,
                    latitude = @Latitude, longitude = @Longitude, updated_at = @Now
                WHERE tenant_id = @Tenant AND id = @id
                """,
                new { s.Tenant, id, site.Name, site.Description, site.TimeZone, site.Latitude, site.Longitude, s.Now }),
            $"A site named '{site.Name}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("site", id);
        }

        await s.AuditAsync("update", "site", id, $"updated site '{site.Name}'");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var site = await GetAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync("DELETE FROM sites WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }),
            "", $"Site {id} still has areas or inventory movements; delete or move them first.");
        await s.AuditAsync("delete", "site", id, $"deleted site '{site.Name}'");
    }

    private static SiteInput Validate(SiteInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        var description = v.Description("description", input.Description);
        var timeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            v.Add("timeZone", $"'{timeZone}' is not a known IANA time zone (for example Europe/Berlin)");
        }

        if (input.Latitude is { } lat && (double.IsNaN(lat) || lat is < -90 or > 90))
        {
            v.Add("latitude", "must be between -90 and 90");
        }

        if (input.Longitude is { } lon && (double.IsNaN(lon) || lon is < -180 or > 180))
        {
            v.Add("longitude", "must be between -180 and 180");
        }

        if (input.Latitude.HasValue != input.Longitude.HasValue)
        {
            v.Add("latitude", "latitude and longitude go together");
        }

        v.ThrowIfInvalid();
        return new SiteInput(name, description, timeZone, input.Latitude, input.Longitude);
    }
}
