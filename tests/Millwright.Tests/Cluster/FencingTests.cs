using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.Fleet;
using Millwright.Fleet;
using Millwright.Features.States;
using Millwright.Messages;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The fence on a real per-machine write: the state tracker's state-interval write (<see cref="StateStore.ChangeAsync"/>)
/// made in a transaction that first checks the machine's lease and token, on PostgreSQL.
/// </summary>
public sealed class FencingTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    private readonly ClusterHarness _cluster = new(store.Database);

    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_paused_old_owners_fenced_write_is_refused_after_its_bucket_was_taken_over()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("fence-" + _cluster.Name);
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, a, b);
        var (owner, other) = a.TryGetLease(machine, out _) ? (a, b) : (b, a);
        Assert.False(other.TryGetLease(machine, out _));

        await WriteStateAsync(owner, tenant, machine, "running");
        await Assert.ThrowsAsync<FencedOutException>(() => WriteStateAsync(other, tenant, machine, "idle"));

        // The owner is paused (it read its lease, then stopped) for longer than the lease; the other takes over.
        Assert.True(owner.TryGetLease(machine, out var stale));
        for (var i = 0; i < 5; i++)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await other.TickAsync();
        }

        Assert.True(other.TryGetLease(machine, out var taken));
        Assert.True(taken.Token > stale.Token);

        // Resumed, the old owner writes with the lease it read before the pause: refused, and nothing of it is stored.
        await Assert.ThrowsAsync<FencedOutException>(() => _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await LeaseFence.EnsureAsync(s, _cluster.Name, owner.NodeId, stale, owner.Options.LeaseDuration);
            return await StateStore.ChangeAsync(s, machine, "down", _cluster.Clock.NowMs, null, null);
        }));
        await Assert.ThrowsAsync<FencedOutException>(() => WriteStateAsync(owner, tenant, machine, "down"));

        await WriteStateAsync(other, tenant, machine, "idle");
        Assert.Equal(["running", "idle"], await StatesAsync(tenant, machine));
    }

    [Fact]
    public async Task A_lease_that_ran_out_fences_its_holder_even_before_anyone_took_it_over()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("expiry-" + _cluster.Name);
        var a = await _cluster.JoinAsync("node-a");
        Assert.True(a.TryGetLease(machine, out var lease));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<FencedOutException>(() => _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await LeaseFence.EnsureAsync(s, _cluster.Name, a.NodeId, lease, a.Options.LeaseDuration);
            return await StateStore.ChangeAsync(s, machine, "running", _cluster.Clock.NowMs, null, null);
        }));
        Assert.Empty(await StatesAsync(tenant, machine));
    }

    [Fact]
    public async Task A_paused_old_owners_state_tracker_writes_nothing_and_the_new_owners_change_is_stored()
    {
        var (tenant, machine, a, pausedClock, b) = await PausedOwnerAsync("tracker-");

        // Resumed, node a's tracker decides a state change for the machine: the store refuses it, the tracker
        // neither throws nor keeps the track, and nothing of it is stored.
        using var stale = new StateTracker(_cluster.Database, pausedClock, NullLogger<StateTracker>.Instance, ownership: new LeaseOwnership(a));
        await stale.ApplyAsync(Reading(tenant, machine, pausedClock.GetUtcNow()));
        Assert.Null(stale.CurrentOf(tenant, machine));
        Assert.Empty(await StatesAsync(tenant, machine));

        // The new owner's tracker writes the same change.
        using var owner = new StateTracker(_cluster.Database, _cluster.Clock, NullLogger<StateTracker>.Instance, ownership: new LeaseOwnership(b));
        await owner.ApplyAsync(Reading(tenant, machine, _cluster.Clock.GetUtcNow()));
        Assert.NotNull(owner.CurrentOf(tenant, machine));
        Assert.Single(await StatesAsync(tenant, machine));
    }

    [Fact]
    public async Task A_paused_old_owners_refused_state_change_still_writes_the_parts_it_counted()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("counts-" + _cluster.Name);
        await using (var c = await _cluster.Database.OpenAsync())
        {
            await c.ExecuteAsync(
                "INSERT INTO state_rules (tenant_id, type_id, document, updated_at) SELECT tenant_id, type_id, @document, 0 FROM machines WHERE id = @machine",
                new { machine, document = """{"rules":[{"state":"running","when":"power > 5"}],"defaultState":"idle","offlineAfterSeconds":60,"alarmReasons":{},"partCounter":"parts","idealCycleByProgram":{}}""" });
        }

        var aClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", aClock);
        using var tracker = new StateTracker(_cluster.Database, aClock, NullLogger<StateTracker>.Instance, ownership: new LeaseOwnership(a));
        await tracker.ApplyAsync(Parts(tenant, machine, aClock, power: 10, parts: 100));
        aClock.Advance(TimeSpan.FromSeconds(1));
        await tracker.ApplyAsync(Parts(tenant, machine, aClock, power: 10, parts: 103));
        Assert.Equal(["running"], await StatesAsync(tenant, machine));

        // Node a is paused past its lease and node b takes the machine over; resumed, node a sees the machine stop
        // after two more parts. The state change is refused; the five parts it counted are written.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        aClock.Advance(TimeSpan.FromSeconds(1));
        await tracker.ApplyAsync(Parts(tenant, machine, aClock, power: 0, parts: 105));

        Assert.Equal(["running"], await StatesAsync(tenant, machine));
        Assert.Null(tracker.CurrentOf(tenant, machine));
        await using (var c = await _cluster.Database.OpenAsync())
        {
            Assert.Equal(5, await c.ExecuteScalarAsync<double>(
                "SELECT COALESCE(SUM(produced), 0) FROM production_counts WHERE tenant_id = @tenant AND machine_id = @machine", new { tenant, machine }));
        }
    }

    private static DeviceMessage Parts(long tenant, long machine, ManualClock clock, double power, double parts) =>
        new(tenant, machine, "test", clock.GetUtcNow(),
            [new Reading("power", clock.NowMs, TagValue.Of(power)), new Reading("parts", clock.NowMs, TagValue.Of(parts))]);

    [Fact]
    public async Task A_paused_old_owners_alarm_writer_writes_no_transition_and_the_new_owners_is_stored()
    {
        var (tenant, machine, a, pausedClock, b) = await PausedOwnerAsync("alarm-");

        var rule = new CompiledRule(7, tenant, "hot", "temp", AlarmVocabulary.Threshold, "high", 80, 0, 0, null, "high", MessageTemplate.Parse("too hot"), 1);
        var raise = new AlarmTransition(TransitionKind.Raise, rule, tenant, machine, "91", _cluster.Clock.NowMs);
        using (var stale = Writer(pausedClock, a))
        {
            await stale.ApplyAsync(raise, CancellationToken.None);
        }

        Assert.Equal(0, await AlarmCountAsync(tenant, machine));

        using var owner = Writer(_cluster.Clock, b);
        await owner.ApplyAsync(raise, CancellationToken.None);
        Assert.Equal(1, await AlarmCountAsync(tenant, machine));
    }

    [Fact]
    public async Task A_machine_taken_back_gets_its_alarm_states_from_the_store_not_from_before_it_was_lost()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("alarm-back-" + _cluster.Name);
        await _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), s => AlarmRules.CreateAsync(s,
            new AlarmRuleInput("hot", null, machine, "temp", AlarmVocabulary.Threshold, "high", 80, 0, null, null, "high", "too hot", true)));
        var aClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", aClock);
        await using var aEngine = await EngineAsync(aClock, a, tenant);

        // Node a owns the machine and raises the alarm.
        aEngine.Engine.Observe(Temperature(tenant, machine, 91, aClock));
        await Eventually.TrueAsync(async () => await ActiveConditionsAsync(tenant, machine) == 1, "node a's raise");

        // Node a is paused past its lease; node b takes the machine over, reads the raised alarm and clears it.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        await using (var bEngine = await EngineAsync(_cluster.Clock, b, tenant))
        {
            bEngine.Engine.Observe(Temperature(tenant, machine, 50, _cluster.Clock));
            await Eventually.TrueAsync(async () => await ActiveConditionsAsync(tenant, machine) == 0, "node b's clear");
        }

        // Node a resumes and learns it lost the machine; node b leaves and node a takes the machine back. Its engine
        // never looked in between, so only the new lease token tells it the machine changed hands. It believed the
        // alarm still raised; taken from the store, the next hot reading raises it again.
        aClock.Advance(_cluster.Clock.GetUtcNow() - aClock.GetUtcNow());
        await a.TickAsync();
        Assert.False(a.TryGetLease(machine, out _));
        await b.LeaveAsync();
        await ClusterHarness.TickAsync(2, a);
        Assert.True(a.TryGetLease(machine, out _));
        await aEngine.Engine.ResyncOwnedAsync(CancellationToken.None);

        aEngine.Engine.Observe(Temperature(tenant, machine, 95, aClock));
        await Eventually.TrueAsync(async () => await ActiveConditionsAsync(tenant, machine) == 1, "node a's raise after taking the machine back");
    }

    [Fact]
    public async Task A_transition_queued_before_the_machine_was_lost_and_taken_back_is_refused_and_the_engine_follows_the_store()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("alarm-queued-" + _cluster.Name);
        await _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), s => AlarmRules.CreateAsync(s,
            new AlarmRuleInput("hot", null, machine, "temp", AlarmVocabulary.Threshold, "high", 80, 0, null, null, "high", "too hot", true)));
        var aClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", aClock);
        Assert.True(a.TryGetLease(machine, out var first));

        // Node a's writer is not running yet: the raise its engine decides waits in the queue, under the first token.
        using var writer = Writer(aClock, a);
        var fenced = new TaskCompletionSource<AlarmTransition>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Fenced += t => fenced.TrySetResult(t);
        using var engine = new AlarmEngine(_cluster.Database, writer, aClock, NullLogger<AlarmEngine>.Instance, new LeaseOwnership(a));
        await engine.ReloadAsync(tenant);
        await engine.ResyncOwnedAsync(CancellationToken.None);
        engine.Observe(Temperature(tenant, machine, 91, aClock));

        // Node a is paused past its lease and node b takes the machine; node a resumes, learns it, and takes the
        // machine back under a new token when node b leaves. Its engine reads the machine's alarms from the store.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        aClock.Advance(_cluster.Clock.GetUtcNow() - aClock.GetUtcNow());
        await a.TickAsync();
        Assert.False(a.TryGetLease(machine, out _));
        await b.LeaveAsync();
        await ClusterHarness.TickAsync(2, a);
        Assert.True(a.TryGetLease(machine, out var second));
        Assert.NotEqual(first.Token, second.Token);
        await engine.ResyncOwnedAsync(CancellationToken.None);

        // The writer runs: the raise decided under the first token is refused and nothing is written.
        await writer.StartAsync(CancellationToken.None);
        try
        {
            var refused = await fenced.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(first.Token, refused.Token);
            Assert.Equal(0, await AlarmCountAsync(tenant, machine));

            // The engine took its state from the store, not from the refused raise: the next hot reading raises, once.
            engine.Observe(Temperature(tenant, machine, 95, aClock));
            await Eventually.TrueAsync(async () => await ActiveConditionsAsync(tenant, machine) == 1, "the raise under the new token");
            Assert.Equal(1, await AlarmCountAsync(tenant, machine));
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A node's alarm engine and its running writer, the engine loaded with the tenant's rules as the node's timer would.</summary>
    private async Task<EngineOnNode> EngineAsync(ManualClock clock, ClusterNode node, long tenant)
    {
        var writer = Writer(clock, node);
        await writer.StartAsync(CancellationToken.None);
        var engine = new AlarmEngine(_cluster.Database, writer, clock, NullLogger<AlarmEngine>.Instance, new LeaseOwnership(node));
        await engine.ReloadAsync(tenant);
        await engine.ResyncOwnedAsync(CancellationToken.None);
        return new EngineOnNode(engine, writer);
    }

    private sealed record EngineOnNode(AlarmEngine Engine, AlarmWriter Writer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Writer.StopAsync(CancellationToken.None);
            Engine.Dispose();
            Writer.Dispose();
        }
    }

    private static DeviceMessage Temperature(long tenant, long machine, double value, ManualClock clock) =>
        new(tenant, machine, "test", clock.GetUtcNow(), [new Reading("temp", clock.NowMs, TagValue.Of(value))]);

    private async Task<long> ActiveConditionsAsync(long tenant, long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM alarms WHERE tenant_id = @tenant AND machine_id = @machine AND condition_active = TRUE AND state <> 'closed'", new { tenant, machine });
    }

    [Fact]
    public async Task A_paused_old_owners_geofence_watcher_writes_no_crossing_and_the_new_owners_is_stored()
    {
        var (tenant, machine, a, pausedClock, b) = await PausedOwnerAsync("geofence-");
        await _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), s => Geofences.CreateAsync(s,
            new GeofenceDefinition("yard", "depot", [[[9.99, 49.99], [10.01, 49.99], [10.01, 50.01], [9.99, 50.01], [9.99, 49.99]]], "UTC", null)));
        GeofenceFix Inside(ManualClock clock) => new(tenant, machine, clock.NowMs, 50.0, 10.0, true);

        // Resumed, node a judges the machine's report inside the yard: the crossing is refused, nothing is stored.
        using var staleWriter = Writer(pausedClock, a);
        using var stale = new GeofenceWatcher(new Sessions(_cluster.Database, pausedClock), staleWriter, NullLogger<GeofenceWatcher>.Instance, new LeaseOwnership(a));
        await stale.JudgeTenantAsync(tenant, [Inside(pausedClock)], CancellationToken.None);
        Assert.Equal(0, await CrossingsAsync(tenant, machine));

        // The new owner's watcher stores it.
        using var ownerWriter = Writer(_cluster.Clock, b);
        using var owner = new GeofenceWatcher(_cluster.Sessions, ownerWriter, NullLogger<GeofenceWatcher>.Instance, new LeaseOwnership(b));
        await owner.JudgeTenantAsync(tenant, [Inside(_cluster.Clock)], CancellationToken.None);
        Assert.Equal(1, await CrossingsAsync(tenant, machine));
    }

    [Fact]
    public async Task A_geofence_alarm_the_writer_refuses_leaves_no_flag_behind_in_the_watchers_track()
    {
        var (tenant, machine, a, pausedClock, _) = await PausedOwnerAsync("geofence-flags-");
        using var writer = Writer(pausedClock, a);
        var fenced = new TaskCompletionSource<AlarmTransition>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Fenced += t => fenced.TrySetResult(t);
        using var watcher = new GeofenceWatcher(new Sessions(_cluster.Database, pausedClock), writer, NullLogger<GeofenceWatcher>.Instance, new LeaseOwnership(a));
        await writer.StartAsync(CancellationToken.None);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            // Resumed, node a sees the machine move 110 m with its engine off. The tenant has no geofences, so no
            // crossing is written (and fenced) in the watcher: the theft raise goes to the writer, whose fence refuses it.
            await watcher.JudgeTenantAsync(tenant, [new GeofenceFix(tenant, machine, pausedClock.NowMs, 50.0, 10.0, false)], CancellationToken.None);
            await watcher.JudgeTenantAsync(tenant, [new GeofenceFix(tenant, machine, pausedClock.NowMs + 1000, 50.001, 10.0, false)], CancellationToken.None);
            var refused = await fenced.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(GeofenceAlarms.Theft.Id, refused.Rule!.Id);
            Assert.Equal(0, await AlarmCountAsync(tenant, machine));

            // The watcher's next look drops the track the refused raise was decided from: it does not believe a theft
            // alarm raised that the store does not hold, and reads the machine again on its next report.
            await watcher.JudgeTenantAsync(tenant, [], CancellationToken.None);
            Assert.NotEqual(true, watcher.TrackOf(tenant, machine)?.Theft);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private async Task<long> CrossingsAsync(long tenant, long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM fleet_geofence_events WHERE tenant_id = @tenant AND machine_id = @machine", new { tenant, machine });
    }

    /// <summary>
    /// A machine whose owner, node a, was paused: its clock stopped while the cluster's went on past its lease, and
    /// node b took the machine over. Node a still believes it owns the machine.
    /// </summary>
    private async Task<(long Tenant, long Machine, ClusterNode Paused, ManualClock PausedClock, ClusterNode Owner)> PausedOwnerAsync(string slug)
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync(slug + _cluster.Name);
        var pausedClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", pausedClock);
        Assert.True(a.TryGetLease(machine, out _));
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        Assert.True(b.TryGetLease(machine, out _));
        Assert.True(a.TryGetLease(machine, out _), "the paused node still believes it owns the machine");
        return (tenant, machine, a, pausedClock, b);
    }

    private AlarmWriter Writer(ManualClock clock, ClusterNode node) =>
        new(_cluster.Database, new Sessions(_cluster.Database, clock), new AlarmEvents(), clock,
            new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(),
            NullLogger<AlarmWriter>.Instance, new LeaseOwnership(node));

    private async Task<long> AlarmCountAsync(long tenant, long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE tenant_id = @tenant AND machine_id = @machine", new { tenant, machine });
    }

    private static DeviceMessage Reading(long tenant, long machine, DateTimeOffset at) =>
        new(tenant, machine, "test", at, [new Reading("power", at.ToUnixTimeMilliseconds(), TagValue.Of(10))]);

    private Task<long> WriteStateAsync(ClusterNode node, long tenant, long machine, string state) =>
        _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await node.FenceAsync(s, machine);
            return await StateStore.ChangeAsync(s, machine, state, _cluster.Clock.NowMs, null, null);
        });

    private async Task<List<string>> StatesAsync(long tenant, long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT state FROM machine_states WHERE tenant_id = @tenant AND machine_id = @machine ORDER BY id", new { tenant, machine })).AsList();
    }
}
