using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

/// <summary>A platform admin's access to a tenant is explicit: a key it mints says why, and the tenant's admins can see it.</summary>
public abstract class AdminMintedKeyTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Minting_a_key_for_a_tenant_without_a_reason_is_a_400_problem(string? reason)
    {
        using var t = await Host.CreateTenantAsync();
        using var platform = Host.Platform();
        var before = (await t.Admin.ListAsync("/api/v1/api-keys")).Count;

        var problem = await platform.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/tenants/{t.Id}/api-keys",
            new { name = "support", role = "tenant_admin", reason }, HttpStatusCode.BadRequest, "reason");

        Assert.NotNull(problem["errors"]!["reason"]);
        Assert.Equal(before, (await t.Admin.ListAsync("/api/v1/api-keys")).Count);
    }

    [Fact]
    public async Task A_reason_with_a_control_character_is_refused()
    {
        using var t = await Host.CreateTenantAsync();
        using var platform = Host.Platform();

        await platform.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/tenants/{t.Id}/api-keys",
            new { name = "support", role = "viewer", reason = "ticket 42\nfake audit line" }, HttpStatusCode.BadRequest, "control characters");
    }

    [Fact]
    public async Task A_minted_key_is_in_the_tenants_audit_log_with_the_reason_and_the_admins_key_id()
    {
        using var t = await Host.CreateTenantAsync();
        using var platform = Host.Platform();
        var adminKeyId = (await platform.ListAsync("/api/v1/api-keys")).Single(k => k!["name"]!.GetValue<string>() == "bootstrap platform admin")!.Id();

        var issued = await platform.PostJsonAsync($"/api/v1/tenants/{t.Id}/api-keys",
            new { name = "support access", role = "viewer", reason = "support ticket 4711: dashboard shows no data" }, HttpStatusCode.Created);

        var entries = (await t.Admin.ListAsync($"/api/v1/audit?entity=api_key&entityId={issued.Id()}")).ToList();
        var entry = Assert.Single(entries)!;
        Assert.Equal("create", entry["action"]!.GetValue<string>());
        Assert.Contains($"key {adminKeyId}", entry["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        var summary = entry["summary"]!.GetValue<string>();
        Assert.Contains("support ticket 4711: dashboard shows no data", summary, StringComparison.Ordinal);
        Assert.Contains($"platform admin key {adminKeyId}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenants_own_key_endpoint_takes_no_reason_field()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x", role = "viewer", reason = "why" }, HttpStatusCode.BadRequest, "reason");
    }

    public sealed class OnSqlite(SqliteHost host) : AdminMintedKeyTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AdminMintedKeyTests(host), IClassFixture<PostgresHost>;
}
