using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class MachinesApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_operator_creates_reads_moves_and_deletes_a_machine()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var otherLine = await t.Operator.PostJsonAsync("/api/v1/lines", new { areaId = plant.AreaId, name = "Line 2" }, HttpStatusCode.Created);

        var machine = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = "press-2" }, HttpStatusCode.Created);
        var moved = await t.Operator.PutJsonAsync($"/api/v1/machines/{machine.Id()}",
            new { lineId = otherLine.Id(), typeId = plant.TypeId, name = "press-2", description = "moved" }, HttpStatusCode.OK);
        Assert.Equal(otherLine.Id(), moved["lineId"]!.GetValue<long>());
        Assert.Equal("moved", (await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id()}"))["description"]!.GetValue<string>());

        await t.Operator.DeleteAsync($"/api/v1/machines/{machine.Id()}", HttpStatusCode.NoContent);
        await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Machines_are_filtered_by_site_area_line_type_and_name()
    {
        using var t = await Host.CreateTenantAsync();
        var one = await Plant.CreateAsync(t);
        var two = await Plant.CreateAsync(t);
        var otherType = await t.Operator.PostJsonAsync("/api/v1/machine-types", new { name = "Lathe" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = one.LineId, typeId = otherType.Id(), name = "lathe-1" }, HttpStatusCode.Created);

        static IEnumerable<string> Names(System.Text.Json.Nodes.JsonArray items) => items.Select(m => m!["name"]!.GetValue<string>()).Order();

        Assert.Equal(new[] { $"{one.Marker}-press", "lathe-1" }.Order(), Names(await t.Viewer.ListAsync($"/api/v1/machines?siteId={one.SiteId}")));
        Assert.Equal(new[] { $"{one.Marker}-press", "lathe-1" }.Order(), Names(await t.Viewer.ListAsync($"/api/v1/machines?areaId={one.AreaId}")));
        Assert.Equal([$"{two.Marker}-press"], Names(await t.Viewer.ListAsync($"/api/v1/machines?lineId={two.LineId}")));
        Assert.Equal(["lathe-1"], Names(await t.Viewer.ListAsync($"/api/v1/machines?typeId={otherType.Id()}")));
        Assert.Equal([$"{two.Marker}-press"], Names(await t.Viewer.ListAsync($"/api/v1/machines?name={two.Marker}")));
        Assert.Empty(await t.Viewer.ListAsync($"/api/v1/machines?siteId={one.SiteId}&typeId={two.TypeId}"));
        Assert.Equal(3, (await t.Viewer.ListAsync("/api/v1/machines")).Count);
    }

    [Fact]
    public async Task Machines_page_with_limit_and_after()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        for (var i = 0; i < 3; i++)
        {
            await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"m-{i}" }, HttpStatusCode.Created);
        }

        var first = await t.Viewer.GetJsonAsync("/api/v1/machines?limit=3");
        var next = first["nextAfter"]!.GetValue<long>();
        var second = await t.Viewer.GetJsonAsync($"/api/v1/machines?limit=3&after={next}");

        Assert.Equal(3, first["items"]!.AsArray().Count);
        Assert.Equal(["m-2"], second["items"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        Assert.Null(second["nextAfter"]);
    }

    [Fact]
    public async Task A_machine_name_must_be_a_slug_and_unique_in_the_tenant()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machines",
            new { lineId = plant.LineId, typeId = plant.TypeId, name = "Press 1" }, HttpStatusCode.BadRequest, "name: must be 1-64 characters");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machines",
            new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-press" }, HttpStatusCode.Conflict, "already exists");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machines",
            new { lineId = plant.LineId, typeId = 987654, name = "x" }, HttpStatusCode.BadRequest, "typeId: there is no machine type with id 987654");

        Assert.Single(await t.Viewer.ListAsync("/api/v1/machines"));
    }

    [Fact]
    public async Task A_line_with_machines_cannot_be_deleted()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/lines/{plant.LineId}", null, HttpStatusCode.Conflict, "still has machines");

        await t.Viewer.GetJsonAsync($"/api/v1/lines/{plant.LineId}");
    }

    public sealed class OnSqlite(SqliteHost host) : MachinesApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MachinesApiTests(host), IClassFixture<PostgresHost>;
}
