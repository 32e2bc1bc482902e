using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class MachineTypesApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static object Tag(string name, string? unit = "kW", string dataType = "float", string kind = "gauge", double? min = 0, double? max = 100) =>
        new { name, unit, dataType, kind, min, max };

    [Fact]
    public async Task An_operator_creates_a_machine_type_with_tags_and_replaces_them()
    {
        using var t = await Host.CreateTenantAsync();

        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types",
            new { name = "Press", tags = new[] { Tag("power"), Tag("parts", unit: "count", dataType: "int", kind: "counter", min: null, max: null) } },
            HttpStatusCode.Created);
        var tags = type["tags"]!.AsArray();
        Assert.Equal(["power", "parts"], tags.Select(x => x!["name"]!.GetValue<string>()));
        Assert.Equal("counter", tags[1]!["kind"]!.GetValue<string>());

        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{type.Id()}", new { name = "Press", tags = new[] { Tag("temp", unit: "°C", min: -20, max: 300) } }, HttpStatusCode.OK);
        var read = await t.Viewer.GetJsonAsync($"/api/v1/machine-types/{type.Id()}");
        Assert.Equal("°C", Assert.Single(read["tags"]!.AsArray())!["unit"]!.GetValue<string>());
        Assert.Single(await t.Viewer.ListAsync("/api/v1/machine-types?name=pre"));

        await t.Operator.DeleteAsync($"/api/v1/machine-types/{type.Id()}", HttpStatusCode.NoContent);
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/machine-types"));
    }

    [Theory]
    [InlineData("kw", "float", "gauge", 0.0, 10.0, "'kw' is not a known unit")]
    [InlineData("kW", "float", "gauge", 10.0, 10.0, "must be greater than min")]
    [InlineData("kW", "float", "gauge", 20.0, 10.0, "must be greater than min")]
    [InlineData(null, "string", "counter", null, null, "a counter must be of data type float or int")]
    [InlineData("kW", "decimal", "gauge", null, null, "dataType: must be one of")]
    [InlineData("kW", "float", "spike", null, null, "kind: must be one of")]
    [InlineData(null, "bool", "gauge", 0.0, 1.0, "a valid range applies to float and int tags only")]
    public async Task An_invalid_tag_is_refused_and_nothing_is_stored(string? unit, string dataType, string kind, double? min, double? max, string problem)
    {
        using var t = await Host.CreateTenantAsync();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machine-types",
            new { name = "Press", tags = new[] { Tag("power", unit, dataType, kind, min, max) } }, HttpStatusCode.BadRequest, problem);

        Assert.Empty(await t.Viewer.ListAsync("/api/v1/machine-types"));
    }

    [Fact]
    public async Task Tag_names_must_be_unique_and_well_formed()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machine-types",
            new { name = "Press", tags = new[] { Tag("power"), Tag("power") } }, HttpStatusCode.BadRequest, "'power' appears more than once");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machine-types",
            new { name = "Press", tags = new[] { Tag("9 lives") } }, HttpStatusCode.BadRequest, "tags[0].name");

        Assert.Empty(await t.Viewer.ListAsync("/api/v1/machine-types"));
    }

    [Fact]
    public async Task A_duplicate_machine_type_name_is_a_conflict()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Operator.PostJsonAsync("/api/v1/machine-types", new { name = "Press" }, HttpStatusCode.Created);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machine-types", new { name = "Press" }, HttpStatusCode.Conflict, "'Press' already exists");

        Assert.Single(await t.Viewer.ListAsync("/api/v1/machine-types"));
    }

    [Fact]
    public async Task A_machine_type_in_use_cannot_be_deleted()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/machine-types/{plant.TypeId}", null, HttpStatusCode.Conflict, "still used by machines");

        await t.Viewer.GetJsonAsync($"/api/v1/machine-types/{plant.TypeId}");
    }

    public sealed class OnSqlite(SqliteHost host) : MachineTypesApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MachineTypesApiTests(host), IClassFixture<PostgresHost>;
}
