using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class AuditApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Every_change_is_in_the_audit_log_with_who_what_and_when()
    {
        using var t = await Host.CreateTenantAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{site.Id()}", new { name = "Plant 2" }, HttpStatusCode.OK);
        await t.Operator.DeleteAsync($"/api/v1/sites/{site.Id()}", HttpStatusCode.NoContent);

        var entries = await t.Admin.ListAsync($"/api/v1/audit?entity=site&entityId={site.Id()}");

        Assert.Equal(["create", "update", "delete"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(entries, e =>
        {
            Assert.Contains($"operator of {t.Slug}", e!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.InRange(e["at"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow.AddSeconds(5));
        });
        Assert.Contains("'Plant 2'", entries[1]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_pages_and_filters_by_entity()
    {
        using var t = await Host.CreateTenantAsync();
        await Plant.CreateAsync(t);

        var first = await t.Admin.GetJsonAsync("/api/v1/audit?limit=2");
        var rest = await t.Admin.GetJsonAsync($"/api/v1/audit?after={first["nextAfter"]!.GetValue<long>()}");

        Assert.Equal(2, first["items"]!.AsArray().Count);
        // The platform admin minted the tenant's 3 keys (in its log, with the reason), and a plant writes 10 entries:
        // site, area, line, type, machine, credential, item, movement, calendar, state rules.
        Assert.Equal(11, rest["items"]!.AsArray().Count);
        Assert.Equal("device_credential", Assert.Single(await t.Admin.ListAsync("/api/v1/audit?entity=device_credential"))!["entity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_tenant_admins_and_the_platform_admin_read_the_audit_log()
    {
        using var t = await Host.CreateTenantAsync();
        using var platform = Host.Platform();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/audit", null, HttpStatusCode.Forbidden, "operator");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/audit", null, HttpStatusCode.Forbidden, "viewer");

        // The platform admin sees platform events: here, the tenant it made and the keys it issued.
        var platformEntries = await platform.ListAsync($"/api/v1/audit?entity=tenant&entityId={t.Id}");
        Assert.Equal("create", Assert.Single(platformEntries)!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tenant_sees_none_of_another_tenants_audit_entries()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(a);

        var entries = await b.Admin.GetJsonAsync("/api/v1/audit");

        // B's log holds only the minting of B's own three keys.
        Assert.All(entries["items"]!.AsArray(), e => Assert.Contains($"of {b.Slug}'", e!["summary"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(3, entries["items"]!.AsArray().Count);
        Assert.DoesNotContain(plant.Marker, entries.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(a.Slug, entries.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(13, (await a.Admin.ListAsync("/api/v1/audit")).Count);
    }

    public sealed class OnSqlite(SqliteHost host) : AuditApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AuditApiTests(host), IClassFixture<PostgresHost>;
}
