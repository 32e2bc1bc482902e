using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Fuzzing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class AempImportTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3 * 3600);

    private static async Task<long> AddSourceAsync(FleetKit kit, string name, string url, int timeoutSeconds = 5, string password = AempFeedServer.Password) =>
        (await kit.Tenant.Admin.PostJsonAsync("/api/v1/fleet/import-sources", new
        {
            name, url, username = AempFeedServer.User, password, lineId = kit.LineId, machineTypeId = kit.TypeId, intervalSeconds = 0, timeoutSeconds,
        }, HttpStatusCode.Created)).Id();

    private static Task<JsonNode> PollAsync(FleetKit kit, long source) =>
        kit.Tenant.Operator.PostJsonAsync($"/api/v1/fleet/import-sources/{source}/poll", new { }, HttpStatusCode.OK);

    /// <summary>The fleet snapshot as JSON, each machine's Equipment object by its serial number.</summary>
    private static async Task<Dictionary<string, JsonObject>> FleetAsync(FleetKit kit) =>
        (await FleetKit.JsonAsync(kit.Tenant.Viewer, "/api/v1/aemp/Fleet"))["Equipment"]!.AsArray()
            .ToDictionary(e => e!["EquipmentHeader"]!["SerialNumber"]!.GetValue<string>(), e => e!.AsObject());

    private static double Number(JsonObject equipment, string element, string child) => equipment[element]![child]!.GetValue<double>();

    [Fact]
    public async Task Machines_of_the_standard_and_the_loose_feed_join_the_fleet_snapshot_with_their_values()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        await using var iso = await AempFeedServer.StartAsync();
        await using var loose = await AempFeedServer.StartAsync();
        iso.Body = AempSamples.Iso(At);
        loose.Body = AempSamples.Loose(At);
        var isoSource = await AddSourceAsync(kit, "Example Machinery", iso.Url);
        var looseSource = await AddSourceAsync(kit, "Prairie Iron", loose.Url);

        var status = await PollAsync(kit, isoSource);
        Assert.Null(status["lastError"]);
        Assert.Equal(2, status["machines"]!.GetValue<long>());
        Assert.NotNull(status["lastSuccessAt"]);
        Assert.False(status.AsObject().ContainsKey("password"));
        Assert.True(status["hasPassword"]!.GetValue<bool>());
        var second = await PollAsync(kit, looseSource);
        Assert.Null(second["lastError"]);
        Assert.Contains(second["lastWarnings"]!.AsArray(), w => w!.GetValue<string>().Contains("CumulativeOperatingHours skipped, it has no datetime", StringComparison.Ordinal));

        var fleet = await FleetAsync(kit);
        Assert.Equal(["EX-0001", "EXM0WL120K00003", "EXM0WX300K00017", "PI850X0044"], fleet.Keys.Order());
        var wx = fleet["EXM0WX300K00017"];
        Assert.Equal("Example Machinery", wx["EquipmentHeader"]!["OEMName"]!.GetValue<string>());
        Assert.Equal("WX-300", wx["EquipmentHeader"]!["Model"]!.GetValue<string>());
        Assert.Equal(48.137, Number(wx, "Location", "Latitude"));
        Assert.Equal(519, Number(wx, "Location", "Altitude"));
        Assert.Equal(4211.5, Number(wx, "CumulativeOperatingHours", "Hour"));
        Assert.Equal(812.25, Number(wx, "CumulativeIdleHours", "Hour"));
        Assert.Equal(61234.5, Number(wx, "FuelUsed", "FuelConsumed"));
        Assert.Equal(205000, Number(wx, "CumulativePayloadTotals", "Payload"));
        Assert.True(wx["EngineStatus"]!["Running"]!.GetValue<bool>());
        Assert.Equal(At, DateTimeOffset.Parse(wx["Location"]!["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(At.AddHours(-1), DateTimeOffset.Parse(fleet["EXM0WL120K00003"]["Location"]!["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture));

        // The loose feed's US units in the platform's: gallons to litres, miles to kilometres, feet to metres.
        var pi = fleet["PI850X0044"];
        Assert.Equal("Prairie Iron", pi["EquipmentHeader"]!["OEMName"]!.GetValue<string>());
        Assert.Equal(7570.82, Number(pi, "FuelUsed", "FuelConsumed"), 2);
        Assert.Equal(160.93, Number(pi, "Distance", "Odometer"), 2);
        Assert.Equal(304.8, Number(pi, "Location", "Altitude"), 6);
        Assert.Equal(-87.63, Number(pi, "Location", "Longitude"));
        Assert.False(pi["EngineStatus"]!["Running"]!.GetValue<bool>());
        Assert.False(pi.ContainsKey("CumulativeOperatingHours"));

        // Polling again finds the same machines rather than making new ones.
        await PollAsync(kit, isoSource);
        Assert.Equal(4, (await FleetAsync(kit)).Count);
    }

    [Fact]
    public async Task A_malformed_silent_or_refusing_feed_records_the_cause_and_keeps_the_last_good_values()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        await using var feed = await AempFeedServer.StartAsync();
        feed.Body = AempSamples.Iso(At);
        var source = await AddSourceAsync(kit, "Example Machinery", feed.Url, timeoutSeconds: 1);
        await PollAsync(kit, source);

        feed.Body = AempSamples.Iso(At.AddMinutes(30)).Replace("<Hour>4211.5</Hour>", "<Hour>9999</Hour>", StringComparison.Ordinal)[..^40];
        var malformed = await PollAsync(kit, source);
        Assert.Contains("not well-formed XML at line", malformed["lastError"]!.GetValue<string>());
        Assert.Equal(1, malformed["failures"]!.GetValue<long>());

        feed.Silent = true;
        var silent = await PollAsync(kit, source);
        Assert.Contains("did not answer within 1 s", silent["lastError"]!.GetValue<string>());
        Assert.Equal(2, silent["failures"]!.GetValue<long>());

        feed.Silent = false;
        await kit.Tenant.Admin.PutJsonAsync($"/api/v1/fleet/import-sources/{source}", new
        {
            name = "Example Machinery", url = feed.Url, username = AempFeedServer.User, password = "wrong", lineId = kit.LineId, machineTypeId = kit.TypeId, intervalSeconds = 0, timeoutSeconds = 1,
        }, HttpStatusCode.OK);
        Assert.Equal("the feed answered HTTP 401", (await PollAsync(kit, source))["lastError"]!.GetValue<string>());

        await kit.Tenant.Admin.PutJsonAsync($"/api/v1/fleet/import-sources/{source}", new
        {
            name = "Example Machinery", url = "http://169.254.169.254/Fleet", lineId = kit.LineId, machineTypeId = kit.TypeId, intervalSeconds = 0,
        }, HttpStatusCode.OK);
        var refused = await PollAsync(kit, source);
        Assert.StartsWith("refused by the egress policy", refused["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(4, refused["failures"]!.GetValue<long>());

        var wx = (await FleetAsync(kit))["EXM0WX300K00017"];
        Assert.Equal(4211.5, Number(wx, "CumulativeOperatingHours", "Hour"));
        Assert.Equal(At, DateTimeOffset.Parse(wx["CumulativeOperatingHours"]!["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.NotNull((await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/import-sources/{source}"))["lastSuccessAt"]);
    }

    [Fact]
    public async Task A_paged_feed_is_read_by_its_next_links_within_its_origin_and_a_loop_or_a_foreign_link_ends_the_poll()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        await using var feed = await AempFeedServer.StartAsync();
        var third = new Uri(new Uri(feed.Url), "/Fleet/3").ToString();
        feed.Body = AempSamples.Page(At, 1, 3, "/Fleet/2");
        feed.Pages["/Fleet/2"] = AempSamples.Page(At, 2, 3, third);
        feed.Pages["/Fleet/3"] = AempSamples.Page(At, 3, 3, null);
        var source = await AddSourceAsync(kit, "Paged", feed.Url);

        var status = await PollAsync(kit, source);
        Assert.Null(status["lastError"]);
        Assert.Equal(3, status["machines"]!.GetValue<long>());
        var fleet = await FleetAsync(kit);
        Assert.Equal(300, Number(fleet["PG-3"], "CumulativeOperatingHours", "Hour"));
        Assert.Equal(51, Number(fleet["PG-1"], "Location", "Latitude"));

        // A last page pointing back to an earlier one: the poll stops there, keeps what it read and says so.
        feed.Pages["/Fleet/3"] = AempSamples.Page(At, 3, 3, "/Fleet/2");
        var loop = await PollAsync(kit, source);
        Assert.Null(loop["lastError"]);
        Assert.Contains(loop["lastWarnings"]!.AsArray(), w => w!.GetValue<string>().Contains("leads back to a page already read", StringComparison.Ordinal));

        // A link to another origin would carry the credentials there: not followed, the poll fails naming the page.
        feed.Pages["/Fleet/3"] = AempSamples.Page(At, 3, 3, "http://127.0.0.2:9/Fleet/4");
        var foreign = await PollAsync(kit, source);
        Assert.Contains("page 3: the next link leads to http://127.0.0.2:9, outside the feed's origin", foreign["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        feed.Pages.Remove("/Fleet/3");
        Assert.Equal("page 3: the feed answered HTTP 404", (await PollAsync(kit, source))["lastError"]!.GetValue<string>());
        Assert.Equal(300, Number((await FleetAsync(kit))["PG-3"], "CumulativeOperatingHours", "Hour"));
    }

    [Fact]
    public async Task Bad_settings_are_refused_and_another_tenant_cannot_see_or_poll_a_source()
    {
        using var a = await FleetKit.CreateAsync(Host, "A-1");
        using var b = await FleetKit.CreateAsync(Host, "B-1");
        var problem = await a.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/import-sources",
            new { name = "x", url = "ftp://feed.example/Fleet", lineId = a.LineId, machineTypeId = a.TypeId, intervalSeconds = 5, timeoutSeconds = 0 },
            HttpStatusCode.BadRequest, "url");
        Assert.Equal(["intervalSeconds", "timeoutSeconds", "url"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        await a.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/fleet/import-sources",
            new { name = "x", url = "http://feed.example/Fleet", lineId = b.LineId, machineTypeId = a.TypeId }, HttpStatusCode.BadRequest, "no line");
        var source = await AddSourceAsync(a, "Secret feed", "http://127.0.0.1:9/Fleet");

        Assert.Empty((await b.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/import-sources")).AsArray());
        await b.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/fleet/import-sources/{source}", null, HttpStatusCode.NotFound, "import source");
        await b.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/fleet/import-sources/{source}/poll", new { }, HttpStatusCode.NotFound, "import source");
        await b.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/fleet/import-sources/{source}", null, HttpStatusCode.NotFound, "import source");
        Assert.Equal("Secret feed", (await a.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/import-sources/{source}"))["name"]!.GetValue<string>());
        Assert.Null((await a.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/import-sources/{source}"))["lastAttemptAt"]);
    }

    public sealed class OnSqlite(FleetFeedSqliteHost host) : AempImportTests(host), IClassFixture<FleetFeedSqliteHost>;

    public sealed class OnPostgres(FleetFeedPostgresHost host) : AempImportTests(host), IClassFixture<FleetFeedPostgresHost>;
}
