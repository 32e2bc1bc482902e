using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>Each rule kind raising and clearing on telemetry posted through the real HTTP ingest; time moves by hand.</summary>
public abstract class AlarmRuleKindsTests(ClockedHost fixture)
{
    // An hour back: inside the platform's window for telemetry times, with room for the minutes the rate test adds.
    private static readonly long T0 = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_threshold_raises_above_its_limit_and_clears_only_below_the_deadband()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "hot spindle", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high",
            limit = 80, deadband = 5, severity = "high", message = "{machine}: {tag} at {value} above {limit}",
        });

        foreach (var value in new[] { 50, 85, 78, 81, 76 })
        {
            await kit.SendAsync(new { temp = value });
        }

        await kit.SyncAsync();
        var alarm = await kit.WaitForAlarmAsync(a => a["conditionActive"]!.GetValue<bool>(), "raised by 85");
        Assert.Equal("active", alarm["state"]!.GetValue<string>());
        Assert.Equal($"{kit.Plant.Marker}-press: temp at 85 above 80", alarm["message"]!.GetValue<string>());
        Assert.Equal("high", alarm["severity"]!.GetValue<string>());

        await kit.SendAsync(new { temp = 74 });
        var cleared = await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
        Assert.Equal("74", cleared["lastValue"]!.GetValue<string>());
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
        Assert.Equal(["raised", "cleared"], await kit.EventKindsAsync(alarm.Id()));
    }

    [Fact]
    public async Task The_first_reading_of_a_machine_added_after_its_type_rule_is_judged_by_the_rule()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "hot spindle", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high",
            limit = 80, severity = "high", message = "{machine}: {value}",
        });
        var added = await kit.Tenant.Operator.PostJsonAsync("/api/v1/machines", new { lineId = kit.Plant.LineId, typeId = kit.Plant.TypeId, name = $"{kit.Plant.Marker}-new" }, System.Net.HttpStatusCode.Created);
        var credential = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{added.Id()}/credentials", new { }, System.Net.HttpStatusCode.Created);
        using var device = Host.Client(null);
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{credential["username"]!.GetValue<string>()}:{credential["secret"]!.GetValue<string>()}")));

        // Its only reading: nothing follows that could trip the rule later.
        using var response = await device.PostAsync("/api/v1/telemetry", new StringContent("{\"values\":{\"temp\":95}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await kit.SyncAsync();
        var alarm = await kit.WaitForAlarmAsync(a => a["machineId"]!.GetValue<long>() == added.Id(), "raised by the new machine's first reading");
        Assert.Equal("95", alarm["lastValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_low_threshold_on_one_machine_raises_below_and_clears_above_limit_plus_deadband()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "low oil", machineId = kit.Plant.MachineId, tag = "oil", kind = "threshold", direction = "low",
            limit = 10, deadband = 2, severity = "critical", message = "oil {value}",
        });

        await kit.SendAsync(new { oil = 9 });
        var alarm = await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "raised by 9");
        await kit.SendAsync(new { oil = 11 });
        await kit.SyncAsync();
        Assert.Equal("active", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{alarm.Id()}"))["state"]!.GetValue<string>());
        await kit.SendAsync(new { oil = 12.5 });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
    }

    [Fact]
    public async Task A_rate_of_change_raises_when_the_value_moves_faster_than_its_limit_per_minute()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "heating fast", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "rate", direction = "high",
            limit = 10, deadband = 2, severity = "medium", message = "{tag} rising {value}",
        });

        await kit.SendAsync(new { temp = 20 }, T0);
        await kit.SendAsync(new { temp = 25 }, T0 + 60_000); // 5 per minute
        await kit.SendAsync(new { temp = 24 }, T0 + 30_000); // out of order: ignored
        await kit.SendAsync(new { temp = 45 }, T0 + 120_000); // 20 per minute
        var alarm = await kit.WaitForAlarmAsync(a => a["conditionActive"]!.GetValue<bool>(), "raised by 20/min");
        Assert.Equal("temp rising 20/min", alarm["message"]!.GetValue<string>());

        await kit.SendAsync(new { temp = 54 }, T0 + 180_000); // 9 per minute: inside the deadband
        await kit.SyncAsync();
        Assert.Equal("active", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{alarm.Id()}"))["state"]!.GetValue<string>());
        await kit.SendAsync(new { temp = 55 }, T0 + 240_000); // 1 per minute
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
    }

    [Fact]
    public async Task A_state_rule_raises_while_the_state_tag_equals_its_value()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var rule = await kit.RuleAsync(new { name = "machine down", machineTypeId = kit.Plant.TypeId, kind = "state", stateValue = "down", severity = "high", message = "{machine} is {state}" });
        Assert.Equal("state", rule["tag"]!.GetValue<string>());

        await kit.SendAsync(new { state = "running" });
        await kit.SendAsync(new { state = "DOWN" });
        var alarm = await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "raised by down");
        Assert.Equal($"{kit.Plant.Marker}-press is down", alarm["message"]!.GetValue<string>());

        await kit.SendAsync(new { state = "idle" });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
    }

    [Fact]
    public async Task A_duration_rule_raises_only_once_its_condition_held_for_the_duration()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "pressure held high", machineTypeId = kit.Plant.TypeId, tag = "pressure", kind = "duration", direction = "high",
            limit = 100, durationSeconds = 30, severity = "high", message = "{tag} above {limit} for {duration}",
        });

        await kit.SendAsync(new { pressure = 120 });
        await kit.SyncAsync();
        var since = Now();
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        await kit.SendAsync(new { pressure = 90 }); // dips: the 30 seconds start again
        await kit.SendAsync(new { pressure = 130 });
        await kit.SyncAsync();
        var restarted = Now();
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        await kit.SendAsync(new { pressure = 125 });
        await kit.SyncAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(11));

        var alarm = await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "after 31 s above the limit");
        Assert.True(alarm["raisedAt"]!.GetValue<DateTimeOffset>() >= restarted.AddSeconds(30), $"raised at {alarm["raisedAt"]}, held since {restarted}");
        Assert.True(restarted > since);
        Assert.Equal("pressure above 100 for 30 s", alarm["message"]!.GetValue<string>());

        await kit.SendAsync(new { pressure = 99 });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
    }

    [Fact]
    public async Task Missing_data_raises_after_the_silence_and_clears_when_a_value_arrives()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new
        {
            name = "no heartbeat", machineId = kit.Plant.MachineId, tag = "heartbeat", kind = "missing", durationSeconds = 60,
            severity = "medium", message = "{machine}: no {tag} for {duration}",
        });

        await kit.SendAsync(new { heartbeat = 1 });
        await kit.SyncAsync();
        var lastSeen = Now();
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));

        var alarm = await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "after 61 s of silence");
        Assert.True(alarm["raisedAt"]!.GetValue<DateTimeOffset>() >= lastSeen.AddSeconds(60));
        Assert.Equal($"{kit.Plant.Marker}-press: no heartbeat for 60 s", alarm["message"]!.GetValue<string>());

        await kit.SendAsync(new { heartbeat = 2 });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
    }

    [Fact]
    public async Task A_disabled_rule_raises_nothing_and_a_text_value_does_not_trip_a_threshold()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        await kit.RuleAsync(new { name = "off", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high", limit = 1, severity = "low", message = "x", enabled = false });
        await kit.RuleAsync(new { name = "on", machineTypeId = kit.Plant.TypeId, tag = "load", kind = "threshold", direction = "high", limit = 1, severity = "low", message = "x" });

        await kit.SendAsync(new { temp = 50, load = "very high" });
        await kit.SendAsync(new { load = 2 });
        var alarm = await kit.WaitForAlarmAsync(a => a["ruleName"]!.GetValue<string>() == "on", "from the enabled rule");

        Assert.Equal("2", alarm["lastValue"]!.GetValue<string>());
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    /// <summary>The app's time as it stores it (whole milliseconds).</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds());

    public sealed class OnSqlite(ClockedSqliteHost host) : AlarmRuleKindsTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : AlarmRuleKindsTests(host), IClassFixture<ClockedPostgresHost>;
}
