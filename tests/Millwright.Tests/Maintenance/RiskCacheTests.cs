using System.Net;
using Millwright.Api;
using Millwright.Features.Maintenance;
using Millwright.Security;
using Millwright.Testing;
using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Maintenance;

/// <summary>
/// The risk cache: many screens asking at once share one estimate of the tenant's machines; it is served until a
/// minute has passed, and what the platform writes itself (a maintenance record) makes a new one at once.
/// </summary>
public abstract class RiskCacheTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Screens_asking_at_once_share_one_estimate_and_a_maintenance_record_makes_a_new_one()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, _) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var cache = Host.Service<RiskCache>();
        var before = cache.Computations;

        // Twelve big screens and four machine pages at once.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => t.Viewer.GetJsonAsync(i < 12 ? "/api/v1/risk" : $"/api/v1/machines/{ids[i - 12]}/risk")));
        Assert.Equal(1, cache.Computations - before);
        Assert.Single(answers.Take(12).Select(a => a.ToJsonString()).Distinct());
        Assert.Single(answers.Skip(12).Select(a => a["at"]!.GetValue<DateTimeOffset>()).Distinct());
        Assert.Equal(ids[2], answers[0]["items"]![0]!["machineId"]!.GetValue<long>());
        Assert.Equal("ok", answers[14]["status"]!.GetValue<string>());

        await t.Operator.PostJsonAsync($"/api/v1/machines/{ids[2]}/maintenance-records", new { kind = "maintenance", note = "bearing replaced" }, HttpStatusCode.Created);
        var after = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.Equal(2, cache.Computations - before);
        Assert.Equal("new-part", after["status"]!.GetValue<string>());
        Assert.Equal("bearing replaced", after["lastMaintenance"]!["note"]!.GetValue<string>());

        // Another tenant's screen gets its own estimate, of its own machines.
        using var other = await Host.CreateTenantAsync();
        Assert.Empty((await other.Viewer.GetJsonAsync("/api/v1/risk"))["items"]!.AsArray());
        Assert.Equal(3, cache.Computations - before);
    }

    [Fact]
    public async Task An_estimate_is_served_for_a_minute_and_computed_again_after_it()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(Host, t, plant.LineId, plant.Marker);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var cache = new RiskCache(Host.Service<Sessions>(), Host.Service<MachineRisk>(), clock);

        var first = await cache.MachineAsync(t.Id, ids[2], CancellationToken.None);
        Assert.Equal("ok", first!.Status);

        // Written past the platform (as another node would): not seen until the minute is over.
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            await s.ExecuteAsync("INSERT INTO maintenance_records (tenant_id, machine_id, kind, done_at, recorded_by, created_at) VALUES (@Tenant, @machine, 'maintenance', @now, 'test', @now)",
                new { s.Tenant, machine = ids[2], now });
            await s.CommitAsync();
        }

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(first, await cache.MachineAsync(t.Id, ids[2], CancellationToken.None));
        Assert.Equal(1, cache.Computations);

        clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await cache.MachineAsync(t.Id, ids[2], CancellationToken.None);
        Assert.Equal(("new-part", 2L), (fresh!.Status, cache.Computations));
        Assert.Null(await cache.MachineAsync(t.Id, plant.MachineId + 1_000_000, CancellationToken.None));
    }

    public sealed class OnSqlite(SqliteHost host) : RiskCacheTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : RiskCacheTests(host), IClassFixture<PostgresHost>;
}
