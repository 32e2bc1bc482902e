using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

/// <summary>
/// Which tenant's MQTT reads move to the threads backlogged tenants share: one with more queued than a shared commit takes,
/// and no other; and the writer's rest for a flood. Unless a test starts the pipeline, what it admits stays queued.
/// </summary>
public sealed class BackloggedPriorityTests(SqliteHost fixture) : IClassFixture<SqliteHost>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_tenant_with_more_queued_than_a_shared_commit_in_several_messages_is_read_at_low_priority_and_a_quiet_one_is_not()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var (flooding, quiet) = (await MachineAsync(a), await MachineAsync(b));
        using var pipeline = Pipeline(new TelemetryOptions { SharedBatchPoints = 1_000 });

        await AdmitAsync(pipeline, flooding, points: 600);
        await AdmitAsync(pipeline, quiet, points: 10);
        Assert.Null(pipeline.SchedulerFor(flooding.TenantId));

        await AdmitAsync(pipeline, flooding, points: 600);

        Assert.IsType<BacklogScheduler>(pipeline.SchedulerFor(flooding.TenantId));
        Assert.Null(pipeline.SchedulerFor(quiet.TenantId));
    }

    [Fact]
    public async Task A_gateway_whose_one_large_message_waits_for_its_commit_is_not_confined()
    {
        using var a = await Host.CreateTenantAsync();
        var gateway = await MachineAsync(a);
        using var pipeline = Pipeline(new TelemetryOptions { SharedBatchPoints = 1_000 });

        await AdmitAsync(pipeline, gateway, points: TelemetryJson.MaxReadings);

        Assert.Null(pipeline.SchedulerFor(gateway.TenantId));
    }

    [Fact]
    public async Task With_the_option_off_nobody_is_moved()
    {
        using var a = await Host.CreateTenantAsync();
        var flooding = await MachineAsync(a);
        using var pipeline = Pipeline(new TelemetryOptions { SharedBatchPoints = 1_000, ConfineBackloggedReading = false });

        await AdmitAsync(pipeline, flooding, points: 3_000);
        await AdmitAsync(pipeline, flooding, points: 3_000);

        Assert.Null(pipeline.SchedulerFor(flooding.TenantId));
    }

    [Fact]
    public async Task While_the_writer_rests_for_a_flood_a_quiet_tenants_message_gets_in_ahead_of_it_and_nothing_is_lost()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var (flooding, quiet) = (await MachineAsync(a), await MachineAsync(b));
        // A flood may use a thousandth of a core: every rest is at its longest.
        using var pipeline = Pipeline(new TelemetryOptions { SharedBatchPoints = 1_000, SharedFloodCores = 0.001 });
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            var first = await AdmitAsync(pipeline, quiet, points: 10);
            var flood = new List<Task>();
            for (var i = 0; i < 150; i++)
            {
                flood.Add(await AdmitAsync(pipeline, flooding, points: 600));
            }

            await first.WaitAsync(TimeSpan.FromSeconds(30));
            var late = await AdmitAsync(pipeline, quiet, points: 10);
            await late.WaitAsync(TimeSpan.FromSeconds(30));
            // 90,000 points, of which the first commit (before the flood counts as sharing) takes at most 20,000 and the
            // rest go in commits of 1,000 with a 20 ms rest after each (over a second): the quiet message did not wait for them.
            Assert.Contains(flood, t => !t.IsCompleted);

            await Task.WhenAll(flood).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }
    }

    private TelemetryPipeline Pipeline(TelemetryOptions options)
    {
        var storage = Host.Service<TelemetryStorage>();
        var writer = new TelemetryWriter(storage, [], Host.Service<TelemetryFlags>(), NullLogger<TelemetryWriter>.Instance);
        return new TelemetryPipeline(Host.Service<MachineSchemas>(), writer, storage, options, Millwright.Api.QuotaOptions.Default, TimeProvider.System, Host.Service<IMeterFactory>());
    }

    private static async Task<(long TenantId, long MachineId)> MachineAsync(TestTenant tenant) =>
        (tenant.Id, (await Plant.CreateAsync(tenant)).MachineId);

    private static async Task<Task> AdmitAsync(TelemetryPipeline pipeline, (long TenantId, long MachineId) machine, int points)
    {
        var now = DateTimeOffset.UtcNow;
        var start = now.ToUnixTimeMilliseconds() - points;
        var readings = Enumerable.Range(0, points).Select(i => new Reading("power", start + i, TagValue.Of(1.0 + i % 100))).ToList();
        var admission = await pipeline.AdmitAsync(new DeviceMessage(machine.TenantId, machine.MachineId, "test", now, readings), TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(admission.Stored);
        return admission.Stored;
    }
}
