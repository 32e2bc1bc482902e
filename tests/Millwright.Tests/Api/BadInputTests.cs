using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

/// <summary>Every refused input answers with problem details naming the problem, and leaves the store as it was.</summary>
public abstract class BadInputTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Theory]
    [InlineData("""{"name": "Plant" """, "malformed")]
    [InlineData("""{"name": 42}""", "wrong type at '$.name'")]
    [InlineData("""{"name": "Plant", "colour": "red"}""", "Unknown field '$.colour'")]
    [InlineData("", "A JSON body is required")]
    public async Task An_unreadable_body_is_a_bad_request(string json, string problem)
    {
        using var t = await Host.CreateTenantAsync();
        var site = await t.Operator.PostJsonAsync("/api/v1/sites", new { name = "Plant" }, HttpStatusCode.Created);

        using (var post = await t.Operator.SendRawAsync(HttpMethod.Post, "/api/v1/sites", json))
        {
            await HttpAssertions.AssertProblemAsync(post, HttpStatusCode.BadRequest, problem);
        }

        using (var put = await t.Operator.SendRawAsync(HttpMethod.Put, $"/api/v1/sites/{site.Id()}", json))
        {
            await HttpAssertions.AssertProblemAsync(put, HttpStatusCode.BadRequest, problem);
        }

        var sites = await t.Viewer.ListAsync("/api/v1/sites");
        Assert.Equal("Plant", Assert.Single(sites)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_name_over_100_characters_is_refused()
    {
        using var t = await Host.CreateTenantAsync();
        var name = new string('n', 101);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/sites", new { name }, HttpStatusCode.BadRequest, "name: must be at most 100 characters");
        await t.Operator.PostJsonAsync("/api/v1/sites", new { name = name[..100] }, HttpStatusCode.Created);

        Assert.Single(await t.Viewer.ListAsync("/api/v1/sites"));
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_too_large()
    {
        using var t = await Host.CreateTenantAsync();
        var json = $$"""{"name": "Plant", "description": "{{new string('x', (1 << 20) + 1)}}"}""";

        // Expect: 100-continue, as a careful client sends a large body: the server refuses it by its length
        // before reading it, and the client never writes into a connection the server has already closed.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sites") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await t.Operator.SendAsync(request);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than the server accepts");
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/sites"));
    }

    [Theory]
    [InlineData("limit=0", "limit: must be between 1 and 500")]
    [InlineData("limit=501", "limit: must be between 1 and 500")]
    [InlineData("after=-1", "after: must not be negative")]
    [InlineData("limit=abc", "abc")]
    [InlineData("siteId=x", "siteId")]
    public async Task A_bad_query_parameter_is_a_bad_request(string query, string problem)
    {
        using var t = await Host.CreateTenantAsync();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines?{query}", null, HttpStatusCode.BadRequest, problem);
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/areas?{query}", null, HttpStatusCode.BadRequest, problem);
    }

    [Theory]
    [InlineData("/api/v1/audit?limit=0")]
    [InlineData("/api/v1/api-keys?limit=abc")]
    public async Task Bad_paging_on_admin_lists_is_a_bad_request(string path)
    {
        using var t = await Host.CreateTenantAsync();

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task References_to_another_tenants_objects_are_refused_without_revealing_them()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);

        var area = await b.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/areas", new { siteId = plantA.SiteId, name = "Hall" },
            HttpStatusCode.BadRequest, $"there is no site with id {plantA.SiteId}");
        await b.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/lines", new { areaId = plantA.AreaId, name = "L" },
            HttpStatusCode.BadRequest, $"there is no area with id {plantA.AreaId}");
        await b.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machines", new { lineId = plantA.LineId, typeId = plantB.TypeId, name = "m" },
            HttpStatusCode.BadRequest, $"there is no line with id {plantA.LineId}");
        await b.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{plantB.MachineId}", new { lineId = plantB.LineId, typeId = plantA.TypeId, name = "m" },
            HttpStatusCode.BadRequest, $"there is no machine type with id {plantA.TypeId}");

        Assert.DoesNotContain(plantA.Marker, area.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(await b.Viewer.ListAsync("/api/v1/areas"));
        Assert.Single(await b.Viewer.ListAsync("/api/v1/lines"));
        Assert.Equal($"{plantB.Marker}-press", Assert.Single(await b.Viewer.ListAsync("/api/v1/machines"))!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_tenants_ids_are_not_found()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var plantA = await Plant.CreateAsync(a);

        await b.Admin.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/sites/{plantA.SiteId}", null, HttpStatusCode.NotFound, $"no site with id {plantA.SiteId}");
        await b.Admin.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/sites/{plantA.SiteId}", new { name = "Taken" }, HttpStatusCode.NotFound, $"no site with id {plantA.SiteId}");
        await b.Admin.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/machines/{plantA.MachineId}", null, HttpStatusCode.NotFound, $"no machine with id {plantA.MachineId}");

        Assert.Equal($"{plantA.Marker} site", (await a.Viewer.GetJsonAsync($"/api/v1/sites/{plantA.SiteId}"))["name"]!.GetValue<string>());
        await a.Viewer.GetJsonAsync($"/api/v1/machines/{plantA.MachineId}");
    }

    public sealed class OnSqlite(SqliteHost host) : BadInputTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : BadInputTests(host), IClassFixture<PostgresHost>;
}
