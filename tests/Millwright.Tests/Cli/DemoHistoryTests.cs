using Millwright.Api;
using Millwright.Cli;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cli;

/// <summary>
/// demo --history: a day of the virtual factory's past (8 machines, every kind and protocol) through the real ingest
/// pipeline, on each store. The history is stamped with simulated time, so whatever it wrote lies inside the span
/// recorded in history_backfills.
/// </summary>
public abstract class DemoHistoryTests(bool postgres)
{
    private const int Fleet = 8;

    [Fact]
    public async Task A_day_of_history_fills_states_counts_and_alarms_inside_the_span_it_records_as_back_filled()
    {
        await using var host = await TestHost.StartAsync(postgres, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("hist");
        var machines = await ProvisionAsync(host, t);
        var sessions = new Sessions(host.Database, TimeProvider.System);
        var history = new DemoHistory(host.Service<TelemetryPipeline>(), host.Service<StateTracker>(), sessions, TimeProvider.System);

        var result = await history.WriteAsync(t.Id, machines, TimeSpan.FromDays(1), seed: 2, progress: null, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(0, result.Refused);
        var minutes = (long)((result.To - result.From).TotalMinutes + 1);
        Assert.Equal(minutes * Fleet, result.Messages);
        var (from, to) = (result.From.ToUnixTimeMilliseconds(), result.To.ToUnixTimeMilliseconds());

        // Alarms are written by the alarm writer's own queue, after the history's last commit.
        await Eventually.TrueAsync(
            async () => await sessions.RunAsync(Millwright.Security.Caller.CommandLine(t.Id),
                s => s.ScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE tenant_id = @Tenant", new { s.Tenant })) > 0,
            "the history's alarms in the store");
        var written = await sessions.RunAsync(Millwright.Security.Caller.CommandLine(t.Id), async s => new
        {
            Backfills = await s.QueryAsync<(long From, long To, long Messages, string Source)>(
                "SELECT from_at, to_at, messages, source FROM history_backfills WHERE tenant_id = @Tenant", new { s.Tenant }),
            Policies = await s.QueryAsync<(long At, string Name)>("SELECT at, name FROM policy_changes WHERE tenant_id = @Tenant", new { s.Tenant }),
            States = await s.QueryAsync<(string State, long Start)>("SELECT state, start_at FROM machine_states WHERE tenant_id = @Tenant", new { s.Tenant }),
            Produced = await s.ScalarAsync<double>(
                "SELECT COALESCE(SUM(produced), 0) FROM production_counts WHERE tenant_id = @Tenant AND bucket_at BETWEEN @from AND @to", new { s.Tenant, from, to }),
            CountsOutside = await s.ScalarAsync<long>(
                "SELECT COUNT(*) FROM production_counts WHERE tenant_id = @Tenant AND (bucket_at < @from OR bucket_at > @to)", new { s.Tenant, from, to }),
            Alarms = await s.QueryAsync<long>("SELECT raised_at FROM alarms WHERE tenant_id = @Tenant", new { s.Tenant }),
        });

        var backfill = Assert.Single(written.Backfills);
        Assert.Equal((from, to, result.Messages, DemoHistory.Source), backfill);
        var policy = Assert.Single(written.Policies);
        Assert.Equal(DemoHistory.PolicyName, policy.Name);
        Assert.Equal(result.PolicyChangedAt.ToUnixTimeMilliseconds(), policy.At);
        Assert.InRange(policy.At, from + ((to - from) * 0.39), from + ((to - from) * 0.41));
        Assert.All(written.States, s => Assert.InRange(s.Start, from, to));
        Assert.Contains(written.States, s => s.State == MachineStateNames.Running);
        Assert.Contains(written.States, s => s.State == MachineStateNames.Down);
        Assert.True(written.Produced > 0, "parts were counted");
        Assert.Equal(0, written.CountsOutside);
        Assert.NotEmpty(written.Alarms);
        Assert.All(written.Alarms, at => Assert.InRange(at, from, to));
    }

    [Fact]
    public async Task History_with_the_shop_completes_orders_from_what_the_machines_made_and_the_board_shows_lead_time_on_time_and_oee()
    {
        await using var host = await TestHost.StartAsync(postgres, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("hist");
        var machines = await ProvisionAsync(host, t);
        var sessions = new Sessions(host.Database, TimeProvider.System);
        var span = TimeSpan.FromHours(6);
        var shop = await DemoProduction.SeedAsync(sessions, t.Id, machines, 1, CancellationToken.None, stockAt: DateTimeOffset.UtcNow - span - TimeSpan.FromMinutes(1));
        var history = new DemoHistory(host.Service<TelemetryPipeline>(), host.Service<StateTracker>(), sessions, TimeProvider.System);

        var result = await history.WriteAsync(t.Id, machines, span, seed: 2, progress: null, CancellationToken.None, shop);

        Assert.NotNull(result);
        Assert.True(result.Orders > 10, $"{result.Orders} orders completed");
        var (from, to) = (result.From.ToUnixTimeMilliseconds(), result.To.ToUnixTimeMilliseconds());
        var written = await sessions.RunAsync(Millwright.Security.Caller.CommandLine(t.Id), async s => new
        {
            Orders = await s.QueryAsync<(string Status, long Created, long Released, long Completed, long Quantity, long Good)>(
                "SELECT status, created_at, released_at, completed_at, quantity, good FROM orders WHERE tenant_id = @Tenant", new { s.Tenant }),
            Issues = await s.QueryAsync<long>("SELECT at FROM inventory_movements WHERE tenant_id = @Tenant AND kind = 'issue'", new { s.Tenant }),
        });
        Assert.Equal(result.Orders, written.Orders.Count);
        Assert.All(written.Orders, o =>
        {
            Assert.Equal(Millwright.Features.Production.OrderStatus.Completed, o.Status);
            Assert.InRange(o.Created, from, to);
            Assert.Equal(o.Created, o.Released);
            Assert.InRange(o.Completed, o.Created + 1, to);
            Assert.Equal(o.Quantity, o.Good);
        });
        Assert.NotEmpty(written.Issues);
        Assert.All(written.Issues, at => Assert.InRange(at, from, to));

        // The board reads them like any other orders; every producing kind has an ideal cycle, so OEE is there too.
        // The default periods: the first third of the stored history against the last, around the policy change.
        var board = await t.Viewer.GetJsonAsync("/api/v1/kpis/board");
        foreach (var key in new[] { "leadTime", "onTimeDelivery", "oee", "inventoryTurnover" })
        {
            var tile = board["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;
            Assert.True(tile["baseline"] is not null && tile["current"] is not null, $"{key}: {tile.ToJsonString()}");
        }
    }

    [Fact]
    public async Task History_is_not_written_again_on_a_store_that_has_it()
    {
        await using var host = await TestHost.StartAsync(postgres, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("hist");
        var machines = await ProvisionAsync(host, t);
        var sessions = new Sessions(host.Database, TimeProvider.System);
        var history = new DemoHistory(host.Service<TelemetryPipeline>(), host.Service<StateTracker>(), sessions, TimeProvider.System);
        var first = await history.WriteAsync(t.Id, machines, TimeSpan.FromMinutes(30), seed: 2, progress: null, CancellationToken.None);

        var second = await history.WriteAsync(t.Id, machines, TimeSpan.FromMinutes(30), seed: 2, progress: null, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(1L, await sessions.RunAsync(Millwright.Security.Caller.CommandLine(t.Id),
            s => s.ScalarAsync<long>("SELECT COUNT(*) FROM history_backfills WHERE tenant_id = @Tenant", new { s.Tenant })));
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("1d", 24 * 60)]
    [InlineData("2h", 120)]
    [InlineData("none", 0)]
    public void History_spans_are_days_hours_or_minutes(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), DemoHistory.ParseSpan(text));

    [Theory]
    [InlineData("8d")]
    [InlineData("5m")]
    [InlineData("1w")]
    [InlineData("-1d")]
    [InlineData("")]
    public void A_history_longer_than_the_late_window_or_not_a_span_is_refused(string text) => Assert.Null(DemoHistory.ParseSpan(text));

    private static async Task<IReadOnlyList<ProvisionedMachine>> ProvisionAsync(TestHost host, TestTenant t)
    {
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        return await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(Fleet), "127.0.0.1", 15020, CancellationToken.None);
    }

    public sealed class OnSqlite() : DemoHistoryTests(postgres: false);

    public sealed class OnPostgres() : DemoHistoryTests(postgres: true);
}
