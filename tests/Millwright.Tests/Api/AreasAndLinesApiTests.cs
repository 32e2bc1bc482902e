using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class AreasAndLinesApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_operator_creates_reads_moves_and_deletes_an_area()
    {
        using var t = await Host.CreateTenantAsync();
        var north = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North" }, HttpStatusCode.Created);
        var south = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "South" }, HttpStatusCode.Created);

        var area = await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = north.Id(), name = "Hall 1" }, HttpStatusCode.Created);
        Assert.Equal(north.Id(), area["siteId"]!.GetValue<long>());
        var moved = await t.Operator.PutJsonAsync($"/api/v1/areas/{area.Id()}", new { siteId = south.Id(), name = "Hall 1", description = "moved" }, HttpStatusCode.OK);
        Assert.Equal(south.Id(), moved["siteId"]!.GetValue<long>());
        Assert.Equal("moved", (await t.Viewer.GetJsonAsync($"/api/v1/areas/{area.Id()}"))["description"]!.GetValue<string>());

        await t.Operator.DeleteAsync($"/api/v1/areas/{area.Id()}", HttpStatusCode.NoContent);
        await t.Viewer.GetJsonAsync($"/api/v1/areas/{area.Id()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Areas_are_listed_by_site_and_names_are_unique_within_a_site_only()
    {
        using var t = await Host.CreateTenantAsync();
        var north = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North" }, HttpStatusCode.Created);
        var south = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "South" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = north.Id(), name = "Hall" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = south.Id(), name = "Hall" }, HttpStatusCode.Created);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/areas", new { siteId = north.Id(), name = "Hall" }, HttpStatusCode.Conflict, "already has an area named 'Hall'");

        Assert.Single(await t.Viewer.ListAsync($"/api/v1/areas?siteId={north.Id()}"));
        Assert.Single(await t.Viewer.ListAsync($"/api/v1/areas?siteId={south.Id()}&name=hal"));
        Assert.Equal(2, (await t.Viewer.ListAsync("/api/v1/areas")).Count);
    }

    [Fact]
    public async Task An_area_of_a_missing_site_is_refused()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/areas", new { siteId = 424242, name = "Hall" }, HttpStatusCode.BadRequest, "siteId: there is no site with id 424242");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/areas", new { name = "Hall" }, HttpStatusCode.BadRequest, "siteId: is required");

        Assert.Empty(await t.Viewer.ListAsync("/api/v1/areas"));
    }

    [Fact]
    public async Task An_operator_creates_reads_renames_and_deletes_a_line()
    {
        using var t = await Host.CreateTenantAsync();
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North" }, HttpStatusCode.Created);
        var area = await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Hall" }, HttpStatusCode.Created);

        var line = await t.Operator.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "Line 1" }, HttpStatusCode.Created);
        await t.Operator.PutJsonAsync($"/api/v1/lines/{line.Id()}", new { areaId = area.Id(), name = "Line A" }, HttpStatusCode.OK);
        Assert.Equal("Line A", (await t.Viewer.GetJsonAsync($"/api/v1/lines/{line.Id()}"))["name"]!.GetValue<string>());

        await t.Operator.DeleteAsync($"/api/v1/lines/{line.Id()}", HttpStatusCode.NoContent);
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/lines"));
    }

    [Fact]
    public async Task Lines_are_listed_by_area_and_an_area_with_lines_cannot_be_deleted()
    {
        using var t = await Host.CreateTenantAsync();
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North" }, HttpStatusCode.Created);
        var hall1 = await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Hall 1" }, HttpStatusCode.Created);
        var hall2 = await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Hall 2" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/lines", new { areaId = hall1.Id(), name = "Line" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/lines", new { areaId = hall2.Id(), name = "Line" }, HttpStatusCode.Created);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/lines", new { areaId = hall1.Id(), name = "Line" }, HttpStatusCode.Conflict, "already has a line named 'Line'");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/areas/{hall1.Id()}", null, HttpStatusCode.Conflict, "still has lines");

        Assert.Single(await t.Viewer.ListAsync($"/api/v1/lines?areaId={hall1.Id()}"));
        Assert.Equal(2, (await t.Viewer.ListAsync("/api/v1/areas")).Count);
    }

    public sealed class OnSqlite(SqliteHost host) : AreasAndLinesApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AreasAndLinesApiTests(host), IClassFixture<PostgresHost>;
}
