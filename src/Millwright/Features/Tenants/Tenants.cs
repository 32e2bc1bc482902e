using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Tenants;

/// <summary>Tenants (enterprises), managed by the platform admin. Deleting one deletes everything it owns.</summary>
internal static class Tenants
{
    private const string Columns = "id, slug, name, created_at, updated_at";

    public static readonly CrudOperations<TenantInput, TenantDto, TenantQuery> Operations = new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<TenantDto>> ListAsync(Session s, TenantQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<TenantRow>(
            $"""
            SELECT {Columns} FROM tenants
            WHERE id > @After AND (@Name IS NULL OR lower(name) LIKE @Name ESCAPE '\' OR lower(slug) LIKE @Name ESCAPE '\')
            ORDER BY id LIMIT @Take
            """,
            new { page.After, Name = PageRequest.Contains(query.Name), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<TenantDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<TenantRow>($"SELECT {Columns} FROM tenants WHERE id = @id", new { id }))?.AsDto()
        ?? throw ApiProblem.NotFound("tenant", id);

    public static async Task<TenantDto?> FindBySlugAsync(Session s, string slug) =>
        (await s.QueryOneAsync<TenantRow>($"SELECT {Columns} FROM tenants WHERE slug = @slug", new { slug }))?.AsDto();

    public static async Task<TenantDto> CreateAsync(Session s, TenantInput input)
    {
        var (slug, name) = Validate(input);
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES (@slug, @name, @Now, @Now) RETURNING id", new { slug, name, s.Now }),
            $"A tenant with slug '{slug}' already exists.");
        await s.AuditAsync("create", "tenant", id, $"created tenant '{slug}'");
        return await GetAsync(s, id);
    }

    public static async Task<TenantDto> UpdateAsync(Session s, long id, TenantInput input)
    {
        var (slug, name) = Validate(input);
        var before = await GetAsync(s, id);
        var changed = await s.GuardAsync(
            () => s.ExecuteAsync("UPDATE tenants SET slug = @slug, name = @name, updated_at = @Now WHERE id = @id", new { id, slug, name, s.Now }),
            $"A tenant with slug '{slug}' already exists.");
        if (changed == 0)
        {
            throw ApiProblem.NotFound("tenant", id);
        }

        await s.AuditAsync("update", "tenant", id, $"updated tenant '{slug}'");

        // A new slug moves every topic of the tenant: connections that logged in under the old one are re-checked
        // (and what they retained under it is cleared). A new display name changes no one's access.
        if (before.Slug != slug)
        {
            s.AccessChanged(AccessChange.OfTenant(id));
        }
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var tenant = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM tenants WHERE id = @id", new { id });
        await s.AuditAsync("delete", "tenant", id, $"deleted tenant '{tenant.Slug}' with all its sites, machines and keys");
        s.AccessChanged(AccessChange.OfTenant(id));
    }

    private static (string Slug, string Name) Validate(TenantInput input)
    {
        var v = new Validator();
        var slug = v.Slug("slug", input.Slug);
        var name = v.Name("name", input.Name);
        v.ThrowIfInvalid();
        return (slug, name);
    }
}
