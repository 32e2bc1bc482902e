using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Millwright.Fuzzing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>Fleet alarms that are not about positions (a failing AEMP feed, an overdue service) and feed passwords sealed at rest.</summary>
public abstract class FleetAlarmTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3 * 3600);

    private static async Task<long> AddSourceAsync(FleetKit kit, string url) =>
        (await kit.Tenant.Admin.PostJsonAsync("/api/v1/fleet/import-sources", new
        {
            name = "Example Machinery", url, username = AempFeedServer.User, password = AempFeedServer.Password, lineId = kit.LineId, machineTypeId = kit.TypeId,
            intervalSeconds = 0, timeoutSeconds = 5,
        }, HttpStatusCode.Created)).Id();

    private static Task<JsonNode> PollAsync(FleetKit kit, long source) =>
        kit.Tenant.Operator.PostJsonAsync($"/api/v1/fleet/import-sources/{source}/poll", new { }, HttpStatusCode.OK);

    private static Task<List<JsonNode>> AlarmsAsync(FleetKit kit, string rule, Func<JsonNode, bool> match, int count, string because) =>
        Eventually.ValueAsync(
            async () => (await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all")).Where(a => a!["ruleName"]!.GetValue<string>() == rule).Select(a => a!).ToList(),
            alarms => alarms.Count == count && alarms.All(match), because);

    private static bool In(JsonNode alarm, string state) => alarm["state"]!.GetValue<string>() == state;

    [Fact]
    public async Task A_failing_feed_raises_an_alarm_on_each_of_its_machines_naming_the_cause_and_clears_it_when_the_feed_recovers()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        await using var feed = await AempFeedServer.StartAsync();
        feed.Body = AempSamples.Iso(At);
        var source = await AddSourceAsync(kit, feed.Url);
        Assert.Null((await PollAsync(kit, source))["lastError"]);

        feed.Body = AempSamples.Iso(At)[..^40];
        await PollAsync(kit, source);
        var raised = await AlarmsAsync(kit, "AEMP feed failing", a => In(a, "active"), 2, "a feed alarm on both imported machines");
        Assert.All(raised, a => Assert.Contains("not well-formed XML", a.ToJsonString(), StringComparison.Ordinal));
        Assert.All(raised, a => Assert.Contains("Example Machinery", a.ToJsonString(), StringComparison.Ordinal));

        feed.Body = AempSamples.Iso(At.AddMinutes(5));
        Assert.Null((await PollAsync(kit, source))["lastError"]);
        await AlarmsAsync(kit, "AEMP feed failing", a => In(a, "rtn_unack"), 2, "both feed alarms cleared");
    }

    [Fact]
    public async Task A_feed_that_fails_before_delivering_any_machine_shows_its_cause_in_the_fleet_health_and_recovers_there()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var stranger = await FleetKit.CreateAsync(Host, serial: "STRANGER-3");
        await using var feed = await AempFeedServer.StartAsync();
        feed.Body = "<Fleet><Equipment>";
        var source = await AddSourceAsync(kit, feed.Url);
        Assert.Equal("ok", (await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/health"))["status"]!.GetValue<string>());

        Assert.NotNull((await PollAsync(kit, source))["lastError"]);
        var health = await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/health");
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        var failing = Assert.Single(health["failingFeeds"]!.AsArray())!;
        Assert.Equal(source, failing["id"]!.GetValue<long>());
        Assert.Equal("Example Machinery", failing["name"]!.GetValue<string>());
        Assert.Contains("not well-formed XML", failing["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(failing["neverDelivered"]!.GetValue<bool>());
        Assert.Equal(1, failing["failures"]!.GetValue<long>());

        // Another tenant's health knows nothing of it; a good poll brings the machines and the status back to ok.
        var theirs = await stranger.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/health");
        Assert.Equal("ok", theirs["status"]!.GetValue<string>());
        Assert.Equal(0, theirs["feeds"]!.GetValue<int>());
        feed.Body = AempSamples.Iso(At);
        Assert.Null((await PollAsync(kit, source))["lastError"]);
        health = await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/health");
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Empty(health["failingFeeds"]!.AsArray());
    }

    [Fact]
    public async Task A_feed_password_is_stored_sealed_and_still_signs_in_a_clear_one_from_before_is_sealed_when_written()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var stranger = await FleetKit.CreateAsync(Host, serial: "STRANGER-2");
        await using var feed = await AempFeedServer.StartAsync();
        feed.Body = AempSamples.Iso(At);
        var source = await AddSourceAsync(kit, feed.Url);

        var stored = await StoredPasswordAsync(source);
        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(AempFeedServer.Password, stored, StringComparison.Ordinal);
        Assert.Null((await PollAsync(kit, source))["lastError"]);

        // A sealed password copied into another tenant's source does not open there (the tenant is bound in).
        var theirs = await AddSourceAsync(stranger, feed.Url);
        await SetStoredPasswordAsync(theirs, stored);
        Assert.Contains("cannot be opened", (await PollAsync(stranger, theirs))["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        // A clear password stored before sealing still signs in, and is sealed by the next change that keeps it.
        await SetStoredPasswordAsync(source, AempFeedServer.Password);
        Assert.Null((await PollAsync(kit, source))["lastError"]);
        await kit.Tenant.Admin.PutJsonAsync($"/api/v1/fleet/import-sources/{source}", new
        {
            name = "Example Machinery", url = feed.Url, username = AempFeedServer.User, lineId = kit.LineId, machineTypeId = kit.TypeId, intervalSeconds = 0, timeoutSeconds = 5,
        }, HttpStatusCode.OK);
        var resealed = await StoredPasswordAsync(source);
        Assert.StartsWith("v1:", resealed, StringComparison.Ordinal);
        Assert.NotEqual(stored, resealed);
        Assert.Null((await PollAsync(kit, source))["lastError"]);
    }

    [Fact]
    public async Task An_overdue_service_raises_an_alarm_that_a_recorded_service_clears()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var other = await FleetKit.CreateAsync(Host, serial: "OTHER-9");
        await kit.SendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, new { engine_hours = 650.0 });
        await other.SendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, new { engine_hours = 650.0 });
        var interval = await kit.Tenant.Operator.PostJsonAsync("/api/v1/fleet/service-intervals",
            new { oemName = "Millwright Heavy", model = "MX-250", name = "500 h service", everyHours = 500 }, HttpStatusCode.Created);

        var raised = Assert.Single(await AlarmsAsync(kit, "service overdue", a => In(a, "active"), 1, "an overdue-service alarm"));
        Assert.Equal(kit.MachineId, raised["machineId"]!.GetValue<long>());
        Assert.Contains("500 h service by 150 h", raised.ToJsonString(), StringComparison.Ordinal);

        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{kit.MachineId}/services", new { intervalId = interval.Id() }, HttpStatusCode.Created);
        await AlarmsAsync(kit, "service overdue", a => In(a, "rtn_unack"), 1, "the overdue-service alarm cleared");
        // The other tenant's machine of the same model has no interval of its tenant: no alarm there.
        Assert.Empty(await other.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    private async Task<string> StoredPasswordAsync(long source)
    {
        await using var c = await Host.Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT password FROM fleet_import_sources WHERE id = @source", new { source }) ?? "";
    }

    private async Task SetStoredPasswordAsync(long source, string password)
    {
        await using var c = await Host.Database.OpenAsync();
        await c.ExecuteAsync("UPDATE fleet_import_sources SET password = @password WHERE id = @source", new { source, password });
    }

    public sealed class OnSqlite(FleetFeedSqliteHost host) : FleetAlarmTests(host), IClassFixture<FleetFeedSqliteHost>;

    public sealed class OnPostgres(FleetFeedPostgresHost host) : FleetAlarmTests(host), IClassFixture<FleetFeedPostgresHost>;
}
