using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class ApiKeysApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_tenant_admin_creates_lists_and_revokes_keys_of_its_tenant()
    {
        using var t = await Host.CreateTenantAsync();

        var issued = await t.Admin.PostJsonAsync("/api/v1/api-keys", new { name = "dashboard", role = "viewer" }, HttpStatusCode.Created);
        Assert.Equal(t.Id, issued["tenantId"]!.GetValue<long>());
        using var dashboard = Host.Client(issued["key"]!.GetValue<string>());
        await dashboard.GetJsonAsync("/api/v1/sites");

        var listed = await t.Admin.ListAsync("/api/v1/api-keys");
        Assert.Equal(["tenant_admin", "operator", "viewer", "viewer"], listed.Select(k => k!["role"]!.GetValue<string>()));
        Assert.All(listed, k => Assert.Null(k!["key"]));
        Assert.Equal("dashboard", (await t.Admin.GetJsonAsync($"/api/v1/api-keys/{issued.Id()}"))["name"]!.GetValue<string>());

        await t.Admin.DeleteAsync($"/api/v1/api-keys/{issued.Id()}", HttpStatusCode.NoContent);

        await dashboard.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/sites", null, HttpStatusCode.Unauthorized, "unknown or revoked");
        Assert.Equal(3, (await t.Admin.ListAsync("/api/v1/api-keys")).Count);
        Assert.Equal(4, (await t.Admin.ListAsync("/api/v1/api-keys?includeRevoked=true")).Count);
    }

    [Theory]
    [InlineData("platform_admin", "a tenant key is viewer, operator or tenant_admin")]
    [InlineData("root", "role: must be one of")]
    public async Task A_tenant_admin_cannot_create_a_key_of_another_role(string role, string problem)
    {
        using var t = await Host.CreateTenantAsync();

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x", role }, HttpStatusCode.BadRequest, problem);

        Assert.Equal(3, (await t.Admin.ListAsync("/api/v1/api-keys")).Count);
    }

    [Fact]
    public async Task Operators_and_viewers_cannot_manage_keys()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x", role = "tenant_admin" }, HttpStatusCode.Forbidden, "operator");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/api-keys", null, HttpStatusCode.Forbidden, "viewer");

        Assert.Equal(3, (await t.Admin.ListAsync("/api/v1/api-keys")).Count);
    }

    [Fact]
    public async Task A_malformed_or_unknown_key_is_unauthorized()
    {
        using var malformed = Host.Client("not-a-key");
        using var unknown = Host.Client("mwk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

        await malformed.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/sites", null, HttpStatusCode.Unauthorized, "malformed");
        await unknown.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/sites", null, HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task The_last_platform_admin_key_cannot_be_revoked()
    {
        using var platform = Host.Platform();
        var keys = await platform.ListAsync("/api/v1/api-keys");
        Assert.All(keys, k => Assert.Equal("platform_admin", k!["role"]!.GetValue<string>()));

        // Revoke every platform key but the bootstrap one (other tests of this class may have made some), then try that one.
        var bootstrap = keys.Single(k => k!["name"]!.GetValue<string>() == "bootstrap platform admin")!.Id();
        var second = await platform.PostJsonAsync("/api/v1/api-keys", new { name = "second admin", role = "platform_admin" }, HttpStatusCode.Created);
        using var secondClient = Host.Client(second["key"]!.GetValue<string>());
        await secondClient.DeleteAsync($"/api/v1/api-keys/{second.Id()}", HttpStatusCode.NoContent);

        await platform.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/api-keys/{bootstrap}", null, HttpStatusCode.Conflict, "last platform admin key");

        await platform.GetJsonAsync("/api/v1/tenants");
    }

    [Fact]
    public async Task The_platform_admin_creates_only_platform_keys_in_its_own_scope()
    {
        using var platform = Host.Platform();

        await platform.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x", role = "viewer" }, HttpStatusCode.BadRequest, "platform keys are platform_admin keys");
        await platform.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/tenants/987654/api-keys", new { name = "x", role = "viewer" }, HttpStatusCode.NotFound, "no tenant with id 987654");
    }

    public sealed class OnSqlite(SqliteHost host) : ApiKeysApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : ApiKeysApiTests(host), IClassFixture<PostgresHost>;
}
