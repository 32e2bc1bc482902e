using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Anomalies;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.MachineTypes;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The anomaly watcher when a machine changes hands, on PostgreSQL: a paused old owner writes no anomaly and saves no
/// detector after losing the machine, and an owner continues from the detectors saved in the store, whether it is new
/// to the machine or took it back under a new lease token.
/// </summary>
public sealed class AnomalyHandoverTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    private readonly ClusterHarness _cluster = new(store.Database);
    private long _nextReading;

    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_paused_old_owner_writes_no_anomaly_and_saves_no_detector_and_the_new_owner_continues_from_the_saved_one()
    {
        var (tenant, machine) = await WatchedMachineAsync("anomaly-paused-");
        var aClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", aClock);
        using var onA = WatcherOn(a, aClock);
        await onA.Tracker.ApplyAsync(Power(tenant, machine, aClock));
        await onA.Watcher.JudgeAsync([Vibration(tenant, machine, aClock, 300)], CancellationToken.None);
        await onA.Watcher.SaveAsync(CancellationToken.None);
        Assert.Equal(300, await SavedLearnedAsync(machine));

        // Node a is paused past its lease and node b takes the machine over; node a still believes it owns it.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        Assert.True(b.TryGetLease(machine, out _));
        Assert.True(a.TryGetLease(machine, out _), "the paused node still believes it owns the machine");

        // Resumed, node a learns more and saves: refused, the stored detector is untouched, and node a drops what it held.
        await onA.Watcher.JudgeAsync([Vibration(tenant, machine, aClock, 20)], CancellationToken.None);
        await onA.Watcher.SaveAsync(CancellationToken.None);
        Assert.Equal(300, await SavedLearnedAsync(machine));
        Assert.Empty(onA.Watcher.Status(tenant, machine));

        // Node a (reading the saved detector again, still believing) judges a spike: the anomaly is refused, none is stored.
        await onA.Watcher.JudgeAsync([Spike(tenant, machine, aClock)], CancellationToken.None);
        Assert.Equal(0, await AnomaliesAsync(machine));
        Assert.Empty(onA.Watcher.Status(tenant, machine));

        // The new owner continues from the saved detector: its count goes on from 300, and a spike is an anomaly at once.
        using var onB = WatcherOn(b, _cluster.Clock);
        await onB.Tracker.ApplyAsync(Power(tenant, machine, _cluster.Clock));
        await onB.Watcher.JudgeAsync([Spike(tenant, machine, _cluster.Clock)], CancellationToken.None);
        Assert.Equal(1, await AnomaliesAsync(machine));
        Assert.Equal(301, RunningLearned(onB.Watcher, tenant, machine));
    }

    [Fact]
    public async Task A_machine_taken_back_gets_its_detectors_from_the_store_not_from_before_it_was_lost()
    {
        var (tenant, machine) = await WatchedMachineAsync("anomaly-back-");
        var aClock = new ManualClock();
        var a = await _cluster.JoinAsync("node-a", aClock);
        using var onA = WatcherOn(a, aClock);
        await onA.Tracker.ApplyAsync(Power(tenant, machine, aClock));
        await onA.Watcher.JudgeAsync([Vibration(tenant, machine, aClock, 300)], CancellationToken.None);
        await onA.Watcher.SaveAsync(CancellationToken.None);

        // Node a is paused; node b takes the machine over, learns 50 readings more and saves them.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, b);
        using (var onB = WatcherOn(b, _cluster.Clock))
        {
            await onB.Tracker.ApplyAsync(Power(tenant, machine, _cluster.Clock));
            await onB.Watcher.JudgeAsync([Vibration(tenant, machine, _cluster.Clock, 50)], CancellationToken.None);
            await onB.Watcher.SaveAsync(CancellationToken.None);
        }

        Assert.Equal(350, await SavedLearnedAsync(machine));

        // Node a resumes, learns it lost the machine, and takes it back when node b leaves: under a new token, so the
        // detectors it held from before (300 readings) are stale and the saved ones (350) are read.
        Assert.True(a.TryGetLease(machine, out var before));
        aClock.Advance(_cluster.Clock.GetUtcNow() - aClock.GetUtcNow());
        await a.TickAsync();
        Assert.False(a.TryGetLease(machine, out _));
        await b.LeaveAsync();
        await ClusterHarness.TickAsync(2, a);
        Assert.True(a.TryGetLease(machine, out var after));
        Assert.NotEqual(before.Token, after.Token);

        await onA.Watcher.JudgeAsync([Vibration(tenant, machine, aClock, 1)], CancellationToken.None);
        Assert.Equal(351, RunningLearned(onA.Watcher, tenant, machine));
    }

    /// <summary>A machine whose type reports power and vibration: running above 5 kW, vibration watched for anomalies.</summary>
    private async Task<(long Tenant, long Machine)> WatchedMachineAsync(string slug)
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync(slug + _cluster.Name);
        long type;
        await using (var c = await _cluster.Database.OpenAsync())
        {
            type = await c.ExecuteScalarAsync<long>("SELECT type_id FROM machines WHERE id = @machine", new { machine });
            await c.ExecuteAsync("UPDATE machine_types SET tags = @tags WHERE id = @type", new
            {
                type,
                tags = TagJson.Write([new TagDefinition("power", null, "kW", "float", "gauge", null, null), new TagDefinition("vibration", null, "mm/s", "float", "gauge", null, null)]),
            });
            await c.ExecuteAsync(
                "INSERT INTO state_rules (tenant_id, type_id, document, updated_at) VALUES (@tenant, @type, @document, 0)",
                new { tenant, type, document = """{"rules":[{"state":"running","when":"power > 5"}],"defaultState":"idle","offlineAfterSeconds":60,"alarmReasons":{},"partCounter":"parts","idealCycleByProgram":{}}""" });
        }

        await _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), s => AnomalySettings.PutAsync(s, type, new AnomalySettingsInput([new WatchedTagInput("vibration", "medium")], null)));
        return (tenant, machine);
    }

    /// <summary>A node's state tracker, alarm writer (not running: its queue only fills) and anomaly watcher, all fenced by the node's leases.</summary>
    private NodeWatcher WatcherOn(ClusterNode node, ManualClock clock)
    {
        var ownership = new LeaseOwnership(node);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var tracker = new StateTracker(_cluster.Database, clock, NullLogger<StateTracker>.Instance, ownership: ownership);
        var writer = new AlarmWriter(_cluster.Database, new Sessions(_cluster.Database, clock), new AlarmEvents(), clock, meters, NullLogger<AlarmWriter>.Instance, ownership);
        var watcher = new AnomalyWatcher(new Sessions(_cluster.Database, clock), tracker, new LatestValues(), writer, new AnomalyStateListener(), new AnomalyOptions { Settle = TimeSpan.Zero },
            clock, NullLogger<AnomalyWatcher>.Instance, meters, ownership);
        return new NodeWatcher(tracker, writer, watcher);
    }

    private sealed record NodeWatcher(StateTracker Tracker, AlarmWriter Writer, AnomalyWatcher Watcher) : IDisposable
    {
        public void Dispose()
        {
            Watcher.Dispose();
            Writer.Dispose();
            Tracker.Dispose();
        }
    }

    private static DeviceMessage Power(long tenant, long machine, ManualClock clock) =>
        new(tenant, machine, "test", clock.GetUtcNow(), [new Reading("power", clock.NowMs, TagValue.Of(10))]);

    /// <summary><paramref name="count"/> ordinary vibration readings around 1 mm/s, one second apart, after every reading before.</summary>
    private DeviceMessage Vibration(long tenant, long machine, ManualClock clock, int count)
    {
        var random = new Random(count);
        var readings = new List<Reading>(count);
        for (var i = 0; i < count; i++)
        {
            readings.Add(new Reading("vibration", Timestamp(), TagValue.Of(1 + ((random.NextDouble() - 0.5) * 0.1))));
        }

        return new(tenant, machine, "test", clock.GetUtcNow(), readings);
    }

    private DeviceMessage Spike(long tenant, long machine, ManualClock clock) =>
        new(tenant, machine, "test", clock.GetUtcNow(), [new Reading("vibration", Timestamp(), TagValue.Of(10))]);

    // Device time an hour back, one second per reading: each node's detector sees the readings in order.
    private long Timestamp() => _cluster.Clock.NowMs - 3_600_000 + (_nextReading++ * 1000);

    private static long RunningLearned(AnomalyWatcher watcher, long tenant, long machine) =>
        watcher.Status(tenant, machine).SelectMany(s => s.Contexts).Single(c => c.Context == AnomalyVocabulary.Running).Learned;

    private async Task<long> SavedLearnedAsync(long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(d.learned), 0) FROM anomaly_detectors d JOIN anomaly_series s ON s.id = d.series_id WHERE s.machine_id = @machine", new { machine });
    }

    private async Task<long> AnomaliesAsync(long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM anomalies WHERE machine_id = @machine", new { machine });
    }
}
