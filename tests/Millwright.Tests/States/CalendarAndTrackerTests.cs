using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Tests.Harness;

namespace Millwright.Tests.States;

public abstract class CalendarAndTrackerTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 1, day, hour, minute, 0, TimeSpan.Zero);

    private static DeviceMessage Power(long tenant, long machine, DateTimeOffset at, double power) =>
        new(tenant, machine, "test", at, [new Reading("power", at.ToUnixTimeMilliseconds(), TagValue.Of(power))]);

    [Fact]
    public async Task A_calendar_is_stored_as_one_document_and_bad_ones_change_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/sites/{plant.SiteId}/calendar";

        var stored = await t.Operator.PutJsonAsync(path, new
        {
            shifts = new object[] { new { name = "night", days = new[] { "Fri" }, start = "22:00", end = "06:00", breaks = new[] { new { start = "02:00", end = "02:30" } } } },
            holidays = new[] { "2026-12-25", "2026-01-01", "2026-12-25" },
            plannedStops = new object[] { new { from = "2026-01-06T08:00:00+01:00", to = "2026-01-06T10:00:00+01:00", machineId = plant.MachineId, reason = "oil change" } },
        }, HttpStatusCode.OK);

        Assert.Equal("Europe/Berlin", stored["timeZone"]!.GetValue<string>());
        Assert.False(stored["aroundTheClock"]!.GetValue<bool>());
        Assert.Equal("fri", stored["calendar"]!["shifts"]![0]!["days"]![0]!.GetValue<string>());
        Assert.Equal(["2026-01-01", "2026-12-25"], stored["calendar"]!["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("2026-01-06T07:00:00+00:00", stored["calendar"]!["plannedStops"]![0]!["from"]!.GetValue<string>());
        Assert.Equal(stored.ToJsonString(), (await t.Viewer.GetJsonAsync(path)).ToJsonString());

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path,
            new { plannedStops = new object[] { new { from = "2026-01-06T08:00:00Z", to = "2026-01-06T09:00:00Z", machineId = 987654 } } },
            HttpStatusCode.BadRequest, "no machine with id 987654");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path,
            new { shifts = new object[] { new { name = "x", days = new[] { "mon" }, start = "6:00", end = "14:00" } } },
            HttpStatusCode.BadRequest, "shifts[0].start");
        Assert.Equal(stored.ToJsonString(), (await t.Viewer.GetJsonAsync(path)).ToJsonString());
    }

    [Fact]
    public async Task A_machine_idle_in_a_planned_stop_is_in_planned_stop_and_the_stop_is_planned_downtime()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);  // rule: running if power > 1; its calendar: Mon and Tue 06:00-14:00 Berlin
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            shifts = new object[] { new { name = "early", days = new[] { "tue" }, start = "06:00", end = "14:00" } },
            plannedStops = new object[] { new { from = "2026-01-06T06:00:00Z", to = "2026-01-06T08:00:00Z", machineId = plant.MachineId, reason = "oil change" } },
        }, HttpStatusCode.OK);
        var clock = new ManualClock(At(6, 5));
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);

        foreach (var (hour, power) in new[] { (5, 10.0), (6, 0.0), (8, 0.0), (9, 10.0) })
        {
            clock.Now = At(6, hour);
            await tracker.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, power));
        }

        var history = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/states?from=2026-01-06T00:00:00Z&to=2026-01-07T00:00:00Z")).AsArray();
        Assert.Equal(["running", "planned_stop", "idle", "running"], history.Select(h => h!["state"]!.GetValue<string>()));
        Assert.Equal("oil change", history[1]!["reason"]!.GetValue<string>());
        Assert.Equal("calendar", history[1]!["reasonSource"]!.GetValue<string>());

        var inputs = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={plant.MachineId}&from=2026-01-06T00:00:00Z&to=2026-01-07T00:00:00Z"))["periods"]![0]!["inputs"]!;
        // POT = 05:00-13:00 UTC = 28,800 s; PDT = the stop 06:00-08:00 = 7,200 s; PBT = 21,600 s.
        Assert.Equal(28_800, inputs["pot"]!.GetValue<double>());
        Assert.Equal(7_200, inputs["pdt"]!.GetValue<double>());
        Assert.Equal(21_600, inputs["pbt"]!.GetValue<double>());
        // APT inside PBT: running 05:00-06:00 (3,600) + 09:00-13:00 (14,400); idle 08:00-09:00 is ADOT.
        Assert.Equal(18_000, inputs["apt"]!.GetValue<double>());
        Assert.Equal(3_600, inputs["adot"]!.GetValue<double>());
    }

    [Fact]
    public async Task Planned_stops_begin_and_end_on_the_clock_without_waiting_for_a_message()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);  // rule: running if power > 1; offline after the default 60 s
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new object[] { new { from = "2026-01-09T06:00:00Z", to = "2026-01-09T08:00:00Z", reason = "inventory count" } },
        }, HttpStatusCode.OK);
        var clock = new ManualClock(At(9, 5, 59).AddSeconds(30));
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);

        await tracker.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 0));  // idle at 05:59:30, 35 s before the sweep
        clock.Now = At(9, 6).AddSeconds(5);
        await tracker.SweepAsync();                                              // the stop began at 06:00
        clock.Now = At(9, 7, 59).AddSeconds(30);
        await tracker.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 0));  // still reporting, still in the stop
        clock.Now = At(9, 8).AddSeconds(5);
        await tracker.SweepAsync();                                              // the stop ended at 08:00: idle again

        var history = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/states?from=2026-01-09T00:00:00Z&to=2026-01-10T00:00:00Z")).AsArray();
        Assert.Equal(["idle", "planned_stop", "idle"], history.Select(h => h!["state"]!.GetValue<string>()));
        Assert.Equal([At(9, 5, 59).AddSeconds(30), At(9, 6), At(9, 8)], history.Select(h => h!["start"]!.GetValue<DateTimeOffset>()));
        Assert.Equal("inventory count", history[1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_restarted_tracker_continues_the_open_interval_instead_of_opening_a_second()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var clock = new ManualClock(At(7, 5));
        await new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance).ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 10));

        clock.Now = At(7, 6);
        var restarted = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);
        await restarted.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 20));
        clock.Now = At(7, 7);
        await restarted.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 0));

        var history = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/states?from=2026-01-07T00:00:00Z&to=2026-01-08T00:00:00Z")).AsArray();
        Assert.Equal(["running", "idle"], history.Select(h => h!["state"]!.GetValue<string>()));
        Assert.Equal(At(7, 5), history[0]!["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(At(7, 7), history[0]!["end"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_machine_deleted_while_tracked_does_not_stop_the_others_from_going_offline()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var doomed = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-doomed" }, HttpStatusCode.Created);
        var clock = new ManualClock(At(8, 5));
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);
        await tracker.ApplyAsync(Power(t.Id, doomed.Id(), clock.Now, 10));
        await tracker.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 10));
        await t.Operator.DeleteAsync($"/api/v1/machines/{doomed.Id()}", HttpStatusCode.NoContent);

        clock.Now = At(8, 6);  // the plant's type allows the default 60 s of silence
        await tracker.SweepAsync();

        Assert.Null(tracker.CurrentOf(t.Id, doomed.Id()));
        Assert.Equal("offline", tracker.CurrentOf(t.Id, plant.MachineId)?.State);
        var history = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/states?from=2026-01-08T00:00:00Z&to=2026-01-09T00:00:00Z")).AsArray();
        Assert.Equal(["running", "offline"], history.Select(h => h!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_state_change_is_announced_only_once_it_is_committed()
    {
        // What the live feed and production hear must be the stored truth: a listener that reads the store from its
        // own connection when told finds the interval it was told of (before, it was told inside the transaction).
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var clock = new ManualClock(At(8, 5));
        var reader = new CommittedReader(Host.Database);
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance, listeners: [reader]);

        await tracker.ApplyAsync(Power(t.Id, plant.MachineId, clock.Now, 10));
        clock.Now = At(8, 6);
        await tracker.SweepAsync();

        Assert.Equal([("running", true), ("offline", true)], reader.Heard);
    }

    /// <summary>On each announcement, whether the announced interval is visible to another connection (committed).</summary>
    private sealed class CommittedReader(Millwright.Storage.IDatabase database) : IStateChangeListener
    {
        public List<(string State, bool Committed)> Heard { get; } = [];

        public void StateChanged(long tenantId, CurrentState current)
        {
            using var connection = database.OpenAsync().AsTask().GetAwaiter().GetResult();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM machine_states WHERE id = {current.IntervalId} AND state = '{current.State}'";
            Heard.Add((current.State, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1));
        }
    }

    [Fact]
    public async Task Stopping_the_tracker_applies_what_is_queued_and_writes_the_unfinished_minute()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);  // its site plans Mon 06:00-14:00 Berlin (05:00-13:00 UTC)
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} counter", tags = new object[] { new { name = "part_count", dataType = "int", kind = "counter" } },
        }, HttpStatusCode.Created);
        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{type.Id()}/state-rules", new { partCounter = "part_count" }, HttpStatusCode.OK);
        var machine = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-counter" }, HttpStatusCode.Created);
        var clock = new ManualClock(At(5, 10).AddSeconds(10));
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);
        foreach (var (second, count) in new[] { (10, 10.0), (20, 25.0) })
        {
            var at = At(5, 10).AddSeconds(second);
            await tracker.ObserveAsync(new DeviceMessage(t.Id, machine.Id(), "test", at, [new Reading("part_count", at.ToUnixTimeMilliseconds(), TagValue.Of(count))]), CancellationToken.None);
        }

        await tracker.StartAsync(CancellationToken.None);
        await tracker.StopAsync(CancellationToken.None);

        var inputs = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={machine.Id()}&from=2026-01-05T10:00:00Z&to=2026-01-05T11:00:00Z"))["periods"]![0]!["inputs"]!;
        Assert.Equal(15, inputs["pq"]!.GetValue<double>());  // 25 − 10; the first reading is the baseline
    }

    [Fact]
    public async Task After_a_restart_a_counter_counts_from_its_last_stored_reading_not_from_its_first_new_one()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} counter", tags = new object[] { new { name = "part_count", dataType = "int", kind = "counter" } },
        }, HttpStatusCode.Created);
        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{type.Id()}/state-rules", new { partCounter = "part_count" }, HttpStatusCode.OK);
        var machine = (await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-counter" }, HttpStatusCode.Created)).Id();
        DeviceMessage Count(int second, double count)
        {
            var at = At(5, 10).AddSeconds(second);
            return new DeviceMessage(t.Id, machine, "test", at, [new Reading("part_count", at.ToUnixTimeMilliseconds(), TagValue.Of(count))]);
        }

        var clock = new ManualClock(At(5, 10).AddSeconds(30));
        var before = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);
        await before.ApplyAsync(Count(10, 10));
        await before.ApplyAsync(Count(20, 25));
        await before.FlushAsync(long.MaxValue);

        // The platform is down while the machine makes 15 more parts; at start the twin is restored from the store as
        // TelemetryStorage does, and the first new reading counts from the stored 25.
        var latest = new LatestValues();
        latest.Restore([(t.Id, machine, Count(20, 25).Readings[0])], baseline: true);
        var after = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance, latest: latest);
        await after.ApplyAsync(Count(15, 20));  // sent again from before the restart: counted then already
        await after.ApplyAsync(Count(40, 40));
        await after.ApplyAsync(Count(50, 42));
        await after.FlushAsync(long.MaxValue);

        var inputs = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={machine}&from=2026-01-05T10:00:00Z&to=2026-01-05T11:00:00Z"))["periods"]![0]!["inputs"]!;
        Assert.Equal(32, inputs["pq"]!.GetValue<double>());  // 15 before the restart, 15 while down, 2 after

        // A cluster node's store view may be older than what the machine's previous owner counted: no baseline there.
        latest.Restore([(t.Id, machine, Count(50, 42).Readings[0])], baseline: true);
        var clustered = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance, ownership: new OwnAll(), latest: latest);
        await clustered.ApplyAsync(Count(60, 50));
        await clustered.FlushAsync(long.MaxValue);
        inputs = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={machine}&from=2026-01-05T10:00:00Z&to=2026-01-05T11:00:00Z"))["periods"]![0]!["inputs"]!;
        Assert.Equal(32, inputs["pq"]!.GetValue<double>());
        Assert.NotNull(latest.TakeBaseline(t.Id, machine));
    }

    /// <summary>Every machine is this node's (cluster mode's ownership port, as a node holding every bucket sees it).</summary>
    private sealed class OwnAll : Features.Telemetry.IMachineOwnership
    {
        public long Version => 0;

        public bool Owns(long machineId) => true;

        public long? TokenOf(long machineId) => 1;

        public Task FenceAsync(global::Millwright.Api.Session session, long machineId, long? token = null) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_wait_for_the_queued_sequence_ends_when_the_tracker_has_decided_those_messages()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var clock = new ManualClock(At(5, 10));
        var tracker = new StateTracker(Host.Database, clock, NullLogger<StateTracker>.Instance);
        await tracker.ObserveAsync(Power(t.Id, plant.MachineId, At(5, 10), 10), CancellationToken.None);
        await tracker.ObserveAsync(Power(t.Id, plant.MachineId, At(5, 10, 1), 0), CancellationToken.None);

        var wait = tracker.Sequence.WaitAsync(tracker.Sequence.Queued, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(2, tracker.Sequence.Queued);
        Assert.False(wait.IsCompleted);  // not started: nothing applied

        await tracker.StartAsync(CancellationToken.None);
        Assert.True(await wait);
        Assert.Equal(At(5, 10, 1), tracker.CurrentOf(t.Id, plant.MachineId)!.LastSeen);
        await tracker.StopAsync(CancellationToken.None);
    }

    public sealed class OnSqlite(SqliteHost host) : CalendarAndTrackerTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : CalendarAndTrackerTests(host), IClassFixture<PostgresHost>;
}
