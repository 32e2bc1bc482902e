using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class TenantsApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task The_platform_admin_creates_reads_renames_lists_and_deletes_a_tenant()
    {
        using var platform = Host.Platform();
        var slug = "acme-" + Guid.NewGuid().ToString("N")[..8];

        var tenant = await platform.PostJsonAsync("/api/v1/tenants", new { slug, name = "Acme" }, HttpStatusCode.Created);
        await platform.PutJsonAsync($"/api/v1/tenants/{tenant.Id()}", new { slug, name = "Acme Works" }, HttpStatusCode.OK);
        Assert.Equal("Acme Works", (await platform.GetJsonAsync($"/api/v1/tenants/{tenant.Id()}"))["name"]!.GetValue<string>());
        Assert.Single(await platform.ListAsync($"/api/v1/tenants?name={slug}"));

        await platform.DeleteAsync($"/api/v1/tenants/{tenant.Id()}", HttpStatusCode.NoContent);

        await platform.GetJsonAsync($"/api/v1/tenants/{tenant.Id()}", HttpStatusCode.NotFound);
        Assert.Empty(await platform.ListAsync($"/api/v1/tenants?name={slug}"));
    }

    [Fact]
    public async Task Deleting_a_tenant_deletes_its_plant_and_its_keys_stop_working()
    {
        using var t = await Host.CreateTenantAsync();
        await Plant.CreateAsync(t);
        using var platform = Host.Platform();

        await platform.DeleteAsync($"/api/v1/tenants/{t.Id}", HttpStatusCode.NoContent);

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/sites", null, HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task Tenant_keys_cannot_manage_tenants()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/tenants", null, HttpStatusCode.Forbidden, "tenant_admin");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/tenants", new { slug = "evil", name = "Evil" }, HttpStatusCode.Forbidden, "tenant_admin");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/tenants/{t.Id}/api-keys", new { name = "x", role = "tenant_admin" }, HttpStatusCode.Forbidden, "tenant_admin");

        using var platform = Host.Platform();
        // The name filter matches parts of names, and other tests' tenants share the host: look for this one exactly.
        Assert.DoesNotContain(await platform.ListAsync("/api/v1/tenants?name=evil"), x => x!["slug"]!.GetValue<string>() == "evil");
    }

    [Fact]
    public async Task A_duplicate_or_malformed_slug_is_refused()
    {
        using var t = await Host.CreateTenantAsync();
        using var platform = Host.Platform();

        await platform.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/tenants", new { slug = t.Slug, name = "Copy" }, HttpStatusCode.Conflict, $"slug '{t.Slug}' already exists");
        await platform.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/tenants", new { slug = "Bad Slug", name = "Bad" }, HttpStatusCode.BadRequest, "slug: must be 1-64 characters");

        Assert.Single(await platform.ListAsync($"/api/v1/tenants?name={t.Slug}"));
        // The name filter matches parts of names, and other tests' tenants share the host: look for this one exactly.
        Assert.DoesNotContain(await platform.ListAsync("/api/v1/tenants?name=bad"), x => x!["name"]!.GetValue<string>() == "Bad");
    }

    public sealed class OnSqlite(SqliteHost host) : TenantsApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TenantsApiTests(host), IClassFixture<PostgresHost>;
}
