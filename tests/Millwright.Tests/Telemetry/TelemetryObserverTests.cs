using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Features.Alarms;
using Millwright.Features.Live;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

/// <summary>
/// The post-commit seam: the real pipeline and writer run with test observers only, and the host wires the
/// feature observers in their documented order.
/// </summary>
public abstract class TelemetryObserverTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Observers_see_each_committed_batch_in_their_order_before_the_sender_is_acknowledged()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        // The host's own pipeline is idle (this class sends it nothing), so this test's writer is the store's one appender.
        var storage = Host.Service<TelemetryStorage>();
        var log = new List<string>();
        bool Durable(DeviceMessage m) => storage.Store.LatestAll().Any(p => p.Series.TenantId == m.TenantId && p.Series.MachineId == m.MachineId
            && p.Series.Tag == "power" && p.Timestamp >= m.Readings[0].Timestamp);
        // Registered out of order: the writer runs them by Order.
        ITelemetryObserver[] observers = [new RecordingObserver("second", 20, log, Durable), new RecordingObserver("first", 10, log, Durable)];
        var options = new TelemetryOptions();
        var writer = new TelemetryWriter(storage, observers, Host.Service<TelemetryFlags>(), NullLogger<TelemetryWriter>.Instance);
        using var pipeline = new TelemetryPipeline(Host.Service<MachineSchemas>(), writer, storage, options, Millwright.Api.QuotaOptions.Default, TimeProvider.System, Host.Service<IMeterFactory>());
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var (source, offset) in new[] { ("a", 0), ("b", 1000) })
            {
                var message = new DeviceMessage(t.Id, plant.MachineId, source, now, [new Reading("power", now.ToUnixTimeMilliseconds() + offset, TagValue.Of(5.0 + offset))]);
                Assert.Null(await pipeline.StoreAsync(message, CancellationToken.None));
                // Acknowledged: every observer has already seen it.
                lock (log)
                {
                    Assert.Contains($"second: {source} durable", log);
                }
            }

            // A refused message (no such machine) is never committed, so no observer hears of it.
            var refused = new DeviceMessage(t.Id, plant.MachineId + 1_000_000, "refused", now, [new Reading("power", now.ToUnixTimeMilliseconds(), TagValue.Of(1.0))]);
            Assert.NotNull(await pipeline.StoreAsync(refused, CancellationToken.None));
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["first: a durable", "second: a durable", "first: b durable", "second: b durable"], log);
    }

    [Fact]
    public void The_host_fans_out_to_the_twin_then_live_then_alarms_then_states_then_anomalies_then_geofences()
    {
        var writerObservers = Host.Service<IEnumerable<ITelemetryObserver>>().OrderBy(o => o.Order).Select(o => o.GetType());

        Assert.Equal([typeof(LatestValues), typeof(LiveFeed), typeof(AlarmEngine), typeof(StateTracker), typeof(Millwright.Features.Anomalies.AnomalyWatcher), typeof(Millwright.Features.Fleet.GeofenceWatcher)], writerObservers);
    }

    public sealed class OnSqlite(SqliteHost host) : TelemetryObserverTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TelemetryObserverTests(host), IClassFixture<PostgresHost>;
}
