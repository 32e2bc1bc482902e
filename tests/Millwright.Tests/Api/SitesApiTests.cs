using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class SitesApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_operator_creates_reads_renames_and_deletes_a_site()
    {
        using var t = await Host.CreateTenantAsync();

        var created = await t.Operator.PostJsonAsync("/api/v1/sites",
            new { name = "  Plant North ", description = "stamping", timeZone = "Europe/Berlin", latitude = 52.5, longitude = 13.4 }, HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal("Plant North", created["name"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", created["timeZone"]!.GetValue<string>());

        var read = await t.Viewer.GetJsonAsync($"/api/v1/sites/{id}");
        Assert.Equal("stamping", read["description"]!.GetValue<string>());

        var updated = await t.Operator.PutJsonAsync($"/api/v1/sites/{id}", new { name = "Plant South" }, HttpStatusCode.OK);
        Assert.Equal("Plant South", updated["name"]!.GetValue<string>());
        Assert.Equal("UTC", updated["timeZone"]!.GetValue<string>());

        await t.Operator.DeleteAsync($"/api/v1/sites/{id}", HttpStatusCode.NoContent);
        await t.Viewer.GetJsonAsync($"/api/v1/sites/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_site_answers_with_its_location()
    {
        using var t = await Host.CreateTenantAsync();

        using var response = await t.Operator.SendRawAsync(HttpMethod.Post, "/api/v1/sites", """{"name":"Plant"}""");

        var body = await HttpAssertions.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/sites/{body.Id()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Viewer_cannot_create_a_site()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Forbidden, "viewer");

        Assert.Empty(await t.Admin.ListAsync("/api/v1/sites"));
    }

    [Fact]
    public async Task A_list_pages_with_limit_and_after_until_next_after_is_null()
    {
        using var t = await Host.CreateTenantAsync();
        for (var i = 0; i < 5; i++)
        {
            await t.Operator.PostJsonAsync("/api/v1/sites", new { name = $"Plant {i}" }, HttpStatusCode.Created);
        }

        var names = new List<string>();
        long? after = null;
        var pages = 0;
        do
        {
            var page = await t.Viewer.GetJsonAsync("/api/v1/sites?limit=2" + (after is null ? "" : $"&after={after}"));
            names.AddRange(page["items"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
            after = page["nextAfter"]?.GetValue<long>();
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["Plant 0", "Plant 1", "Plant 2", "Plant 3", "Plant 4"], names);
    }

    [Fact]
    public async Task A_list_filters_by_part_of_the_name_ignoring_case()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "North Plant" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "South Plant" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "100%_done" }, HttpStatusCode.Created);

        var north = await t.Viewer.ListAsync("/api/v1/sites?name=NORTH");
        var wildcard = await t.Viewer.ListAsync("/api/v1/sites?name=%25_");

        Assert.Equal("North Plant", Assert.Single(north)!["name"]!.GetValue<string>());
        Assert.Equal("100%_done", Assert.Single(wildcard)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_site_name_is_a_conflict_and_changes_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);
        var other = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "Other" }, HttpStatusCode.Created);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Conflict, "'Plant' already exists");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/sites/{other.Id()}", new { name = "Plant" }, HttpStatusCode.Conflict, "'Plant' already exists");

        var names = (await t.Viewer.ListAsync("/api/v1/sites")).Select(s => s!["name"]!.GetValue<string>());
        Assert.Equal(["Plant", "Other"], names);
    }

    [Fact]
    public async Task The_same_site_name_may_exist_in_two_tenants()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();

        await a.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);
        await b.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);

        Assert.Single(await b.Viewer.ListAsync("/api/v1/sites"));
    }

    [Fact]
    public async Task Deleting_a_site_that_still_has_areas_is_a_conflict()
    {
        using var t = await Host.CreateTenantAsync();
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);
        await t.Operator.PostJsonAsync("/api/v1/areas", new { siteId = site.Id(), name = "Hall" }, HttpStatusCode.Created);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/sites/{site.Id()}", null, HttpStatusCode.Conflict, "still has areas");

        await t.Viewer.GetJsonAsync($"/api/v1/sites/{site.Id()}");
        Assert.Single(await t.Viewer.ListAsync("/api/v1/areas"));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "timeZone")]
    [InlineData(null, "name: is required")]
    public async Task An_invalid_site_is_refused_and_nothing_is_stored(string? timeZone, string problem)
    {
        using var t = await Host.CreateTenantAsync();

        object body = timeZone is null ? new { description = "no name" } : new { name = "Plant", timeZone };
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", body, HttpStatusCode.BadRequest, problem);

        Assert.Empty(await t.Viewer.ListAsync("/api/v1/sites"));
    }

    [Fact]
    public async Task Coordinates_out_of_range_or_half_given_are_refused()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", new { name = "P", latitude = 91, longitude = 0 }, HttpStatusCode.BadRequest, "latitude: must be between -90 and 90");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", new { name = "P", latitude = 10 }, HttpStatusCode.BadRequest, "go together");

        Assert.Empty(await t.Viewer.ListAsync("/api/v1/sites"));
    }

    [Fact]
    public async Task An_unknown_site_id_is_not_found()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/sites/987654", null, HttpStatusCode.NotFound, "no site with id 987654");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, "/api/v1/sites/987654", new { name = "X" }, HttpStatusCode.NotFound, "no site with id 987654");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, "/api/v1/sites/987654", null, HttpStatusCode.NotFound, "no site with id 987654");
    }

    public sealed class OnSqlite(SqliteHost host) : SitesApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : SitesApiTests(host), IClassFixture<PostgresHost>;
}
