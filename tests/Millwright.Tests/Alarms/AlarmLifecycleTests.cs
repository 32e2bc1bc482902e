using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Millwright.Features.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>ISA-18.2 lifecycle: acknowledge, return to normal, shelve and unshelve (by hand and when time is up), history, counts.</summary>
public abstract class AlarmLifecycleTests(ClockedHost fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_acknowledged_alarm_closes_when_it_clears_and_records_who_acknowledged_it()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);

        var acked = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/acknowledge", new { comment = "checking the coolant" }, HttpStatusCode.OK);
        Assert.Equal("acknowledged", acked["state"]!.GetValue<string>());
        Assert.Equal("checking the coolant", acked["acknowledgeComment"]!.GetValue<string>());
        Assert.Contains(kit.Tenant.Slug, acked["acknowledgedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(acked["acknowledgedAt"]);

        await kit.SendAsync(new { temp = 10 });
        var closed = await kit.WaitForStateAsync(alarm.Id(), "closed");
        Assert.NotNull(closed["closedAt"]);
        Assert.Empty(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms"));
        Assert.Equal(["raised", "acknowledged", "cleared"], await kit.EventKindsAsync(alarm.Id()));
        var audit = await kit.Tenant.Admin.ListAsync("/api/v1/audit?entity=alarm");
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "acknowledge" && e["entityId"]!.GetValue<long>() == alarm.Id());
    }

    [Fact]
    public async Task An_alarm_that_cleared_unacknowledged_waits_as_rtn_unack_and_closes_on_acknowledgement()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        await kit.SendAsync(new { temp = 10 });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");

        var closed = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/acknowledge", new { }, HttpStatusCode.OK);

        Assert.Equal("closed", closed["state"]!.GetValue<string>());
        await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/alarms/{alarm.Id()}/acknowledge", new { }, HttpStatusCode.Conflict, "only active");
    }

    [Fact]
    public async Task A_returning_condition_reactivates_the_open_alarm_instead_of_opening_another()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        await kit.SendAsync(new { temp = 10 });
        await kit.WaitForStateAsync(alarm.Id(), "rtn_unack");
        await kit.SendAsync(new { temp = 99 });
        await kit.WaitForAlarmAsync(a => a.Id() == alarm.Id() && a["conditionActive"]!.GetValue<bool>(), "active again");

        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
        Assert.Equal(["raised", "cleared", "raised"], await kit.EventKindsAsync(alarm.Id()));
    }

    [Fact]
    public async Task A_shelved_alarm_is_suppressed_and_comes_back_when_unshelved()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var events = Host.Service<AlarmEvents>().Subscribe(1000);
        try
        {
            var alarm = await RaiseAsync(kit);
            var shelved = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/shelve", new { minutes = 30, reason = "sensor being replaced" }, HttpStatusCode.OK);
            Assert.Equal("shelved", shelved["state"]!.GetValue<string>());
            Assert.Equal("sensor being replaced", shelved["shelveReason"]!.GetValue<string>());

            await kit.SendAsync(new { temp = 10 });
            await kit.WaitForAlarmAsync(a => a.Id() == alarm.Id() && !a["conditionActive"]!.GetValue<bool>(), "cleared on the shelf");
            await kit.SendAsync(new { temp = 95 });
            await kit.WaitForAlarmAsync(a => a.Id() == alarm.Id() && a["conditionActive"]!.GetValue<bool>(), "raised on the shelf");
            Assert.Equal("shelved", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{alarm.Id()}"))["state"]!.GetValue<string>());

            var back = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/unshelve", new { }, HttpStatusCode.OK);
            Assert.Equal("active", back["state"]!.GetValue<string>());
            Assert.Equal(["raised", "shelved", "cleared", "raised", "unshelved"], await kit.EventKindsAsync(alarm.Id()));

            var published = await ReadAsync(events, alarm.Id(), 5);
            Assert.Equal(["raised", "shelved", "cleared", "raised", "unshelved"], published.Select(e => e.Kind));
            Assert.Equal([false, false, true, true, false], published.Select(e => e.Suppressed));
        }
        finally
        {
            Host.Service<AlarmEvents>().Unsubscribe(events);
        }
    }

    [Fact]
    public async Task A_shelf_runs_out_on_its_own_and_a_cleared_alarm_then_closes()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/acknowledge", new { }, HttpStatusCode.OK);
        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/shelve", new { minutes = 5, reason = "maintenance" }, HttpStatusCode.OK);

        fixture.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var back = await kit.WaitForStateAsync(alarm.Id(), "active");
        Assert.Null(back["acknowledgedAt"]);
        var last = (await kit.Tenant.Viewer.ListAsync($"/api/v1/alarms/{alarm.Id()}/events")).Last()!;
        Assert.Equal("unshelved", last["kind"]!.GetValue<string>());
        Assert.Equal("alarm engine", last["actor"]!.GetValue<string>());

        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/shelve", new { minutes = 1, reason = "again" }, HttpStatusCode.OK);
        await kit.SendAsync(new { temp = 10 });
        await kit.WaitForAlarmAsync(a => a.Id() == alarm.Id() && !a["conditionActive"]!.GetValue<bool>(), "cleared on the shelf");
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await kit.WaitForStateAsync(alarm.Id(), "closed");
    }

    [Fact]
    public async Task Shelving_and_acknowledging_refuse_bad_input_and_wrong_states_with_problems()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        var op = kit.Tenant.Operator;
        var path = $"/api/v1/alarms/{alarm.Id()}";

        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/shelve", new { minutes = 0, reason = "x" }, HttpStatusCode.BadRequest, "minutes");
        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/shelve", new { minutes = 20000, reason = "x" }, HttpStatusCode.BadRequest, "minutes");
        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/shelve", new { minutes = 5 }, HttpStatusCode.BadRequest, "reason: is required");
        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/acknowledge", new { comment = new string('x', 501) }, HttpStatusCode.BadRequest, "comment");
        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/acknowledge", new { note = "x" }, HttpStatusCode.BadRequest, "Unknown field");
        await op.SendExpectingProblemAsync(HttpMethod.Post, path + "/unshelve", null, HttpStatusCode.Conflict, "not shelved");
        await op.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/alarms/987654321/acknowledge", new { }, HttpStatusCode.NotFound, "no alarm");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/alarms?state=burning", null, HttpStatusCode.BadRequest, "state");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/alarms?severity=dire", null, HttpStatusCode.BadRequest, "severity");

        Assert.Equal("active", (await kit.Tenant.Viewer.GetJsonAsync(path))["state"]!.GetValue<string>());
        Assert.Equal(["raised"], await kit.EventKindsAsync(alarm.Id()));
    }

    [Fact]
    public async Task The_list_filters_by_state_severity_machine_line_and_site_and_counts_group_by_period()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        var viewer = kit.Tenant.Viewer;

        Assert.Single(await viewer.ListAsync($"/api/v1/alarms?state=active&severity=high&machine={kit.Plant.MachineId}&line={kit.Plant.LineId}&site={kit.Plant.SiteId}"));
        Assert.Empty(await viewer.ListAsync("/api/v1/alarms?severity=low"));
        Assert.Empty(await viewer.ListAsync("/api/v1/alarms?state=acknowledged"));
        Assert.Empty(await viewer.ListAsync($"/api/v1/alarms?line={kit.Plant.LineId + 100000}"));

        var raisedAt = alarm["raisedAt"]!.GetValue<DateTimeOffset>();
        var from = Uri.EscapeDataString(raisedAt.AddHours(-2).ToString("O"));
        var to = Uri.EscapeDataString(raisedAt.AddHours(2).ToString("O"));
        var counts = await viewer.ListAsync($"/api/v1/alarms/counts?from={from}&to={to}&bucket=hour");
        var bucket = Assert.Single(counts)!;
        Assert.Equal(1, bucket["high"]!.GetValue<long>());
        Assert.Equal(1, bucket["total"]!.GetValue<long>());
        Assert.True(bucket["from"]!.GetValue<DateTimeOffset>() <= raisedAt && raisedAt < bucket["to"]!.GetValue<DateTimeOffset>());

        var history = await viewer.ListAsync($"/api/v1/alarms/history?from={from}&to={to}&machine={kit.Plant.MachineId}");
        Assert.Equal("raised", Assert.Single(history)!["kind"]!.GetValue<string>());

        await viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/alarms/counts?from={from}&to={to}&bucket=fortnight", null, HttpStatusCode.BadRequest, "bucket");
        await viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/alarms/counts?from={to}&to={from}", null, HttpStatusCode.BadRequest, "after from");
        await viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/alarms/counts?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=hour", null, HttpStatusCode.BadRequest, "buckets");
        await viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/alarms/counts", null, HttpStatusCode.BadRequest, "required");
    }

    [Fact]
    public async Task Disabling_or_deleting_a_rule_closes_its_open_alarm_and_keeps_the_history()
    {
        using var kit = await AlarmKit.CreateAsync(Host);
        var alarm = await RaiseAsync(kit);
        var rule = (await kit.Tenant.Viewer.ListAsync("/api/v1/alarm-rules")).Single()!;

        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/alarm-rules/{rule.Id()}", new
        {
            name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high",
            limit = 80, severity = "high", message = "m", enabled = false,
        }, HttpStatusCode.OK);
        Assert.Equal("closed", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{alarm.Id()}"))["state"]!.GetValue<string>());
        await kit.SendAsync(new { temp = 95 });
        await kit.SyncAsync();
        Assert.Empty(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms"));

        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/alarm-rules/{rule.Id()}", new
        {
            name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high",
            limit = 80, severity = "high", message = "m",
        }, HttpStatusCode.OK);
        await kit.SendAsync(new { temp = 96 });
        var second = await kit.WaitForAlarmAsync(a => a.Id() != alarm.Id(), "raised again once enabled");
        await kit.Tenant.Operator.DeleteAsync($"/api/v1/alarm-rules/{rule.Id()}", HttpStatusCode.NoContent);

        Assert.Equal("closed", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{second.Id()}"))["state"]!.GetValue<string>());
        Assert.Equal(["raised", "closed"], await kit.EventKindsAsync(alarm.Id()));
        Assert.Equal(["raised", "closed"], await kit.EventKindsAsync(second.Id()));
    }

    /// <summary>A high-temperature rule on the plant's type, raised by one reading of 90.</summary>
    private static async Task<JsonNode> RaiseAsync(AlarmKit kit)
    {
        await kit.RuleAsync(new
        {
            name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high",
            limit = 80, deadband = 5, severity = "high", message = "{machine} hot: {value}",
        });
        await kit.SendAsync(new { temp = 90 });
        return await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "raised by 90");
    }

    private static async Task<List<AlarmEventMessage>> ReadAsync(ChannelReader<AlarmEventMessage> reader, long alarmId, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<AlarmEventMessage>();
        while (seen.Count < count)
        {
            var message = await reader.ReadAsync(deadline.Token);
            if (message.AlarmId == alarmId)
            {
                seen.Add(message);
            }
        }

        return seen;
    }

    public sealed class OnSqlite(ClockedSqliteHost host) : AlarmLifecycleTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : AlarmLifecycleTests(host), IClassFixture<ClockedPostgresHost>;
}
