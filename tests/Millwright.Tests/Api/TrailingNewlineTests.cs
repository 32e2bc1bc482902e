using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

/// <summary>
/// Slugs and names never end with a newline: .NET's <c>$</c> also matches before a final "\n", so the
/// patterns end with <c>\z</c>; display names are trimmed.
/// </summary>
public abstract class TrailingNewlineTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_tenant_slug_ending_with_a_newline_is_refused()
    {
        using var platform = Host.Platform();
        var slug = $"nl-{Guid.NewGuid():N}"[..20];

        await platform.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/tenants", new { slug = slug + "\n", name = "Newline" }, HttpStatusCode.BadRequest, "slug");

        Assert.Empty(await platform.ListAsync($"/api/v1/tenants?name={slug}"));
    }

    [Fact]
    public async Task A_tag_name_ending_with_a_newline_is_refused_in_machine_types_and_alarm_rules()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machine-types", new
        {
            name = "newline type",
            tags = new object[] { new { name = "power\n", unit = "kW", dataType = "float" } },
        }, HttpStatusCode.BadRequest, "tags[0].name");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/alarm-rules", new
        {
            name = "hot", machineTypeId = plant.TypeId, tag = "power\n", kind = "threshold", direction = "high",
            limit = 80, deadband = 5, severity = "high", message = "hot",
        }, HttpStatusCode.BadRequest, "tag");
    }

    [Fact]
    public async Task A_name_ending_with_a_newline_is_stored_without_it()
    {
        using var t = await Host.CreateTenantAsync();

        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North\n" }, HttpStatusCode.Created);

        Assert.Equal("North", site["name"]!.GetValue<string>());
    }

    public sealed class OnSqlite(SqliteHost host) : TrailingNewlineTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TrailingNewlineTests(host), IClassFixture<PostgresHost>;
}
