using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench production</c>: the platform in this process on a fresh SQLite store, a shop of machines that
/// accept every job over MQTT, and a book of released orders. Measures the first plan, the plan's weighted
/// tardiness against an earliest-due-date dispatching rule on the same orders, and how long after a machine's
/// breakdown telemetry its job is planned onto another machine.
/// </summary>
internal static class ProductionLoad
{
    public sealed record Settings(int Machines, int Orders, int Breakdowns, TimeSpan PlanTime, int Seed);

    private const int Capabilities = 4;

    public static async Task<string> RunAsync(Settings settings, Action<string> progress, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-production-").FullName;
        try
        {
            var store = new StoreOptions(directory, null);
            await using var database = await store.OpenAsync(ct);
            var (devices, tenant) = await ProductionShop.ProvisionAsync(database, settings, ct);
            var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store)
            {
                Mqtt = new IPEndPoint(IPAddress.Loopback, 0),
                Production = new ProductionOptions { PlanTime = settings.PlanTime },
            };
            await using var app = MillwrightApp.Build(options, database);
            await app.StartAsync(ct);
            var mqtt = app.Services.GetRequiredService<Features.Connectivity.MqttListener>().Endpoints[0];
            var machines = new List<BenchCell>();
            foreach (var chunk in devices.Chunk(25))
            {
                machines.AddRange(await Task.WhenAll(chunk.Select(d => BenchCell.ConnectAsync(mqtt, d.Id, d.Machine, d.User, d.Secret, ct))));
            }

            progress($"bench production: {settings.Machines} machines ({Capabilities} capabilities), releasing {settings.Orders} orders of {ProductionShop.Operations} operations");
            var clock = Stopwatch.StartNew();
            await ProductionShop.ReleaseOrdersAsync(database, app.Services.GetRequiredService<ProductionInbox>(), tenant, settings, ct);
            var released = clock.Elapsed;
            while (!machines.Any(m => m.Holding is not null) && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(10, ct);
            }

            var firstDispatch = clock.Elapsed;
            await Task.Delay(2 * settings.PlanTime + TimeSpan.FromSeconds(2), ct);
            var busy = machines.Count(m => m.Holding is not null);
            var idle = await IdleByPlanAsync(database, machines, ct);
            var comparison = await CompareWithDispatchingRuleAsync(database, tenant, settings, ct);
            progress(string.Create(CultureInfo.InvariantCulture,
                $"bench production: first job dispatched {firstDispatch.TotalSeconds:F1} s after the release; {busy} of {settings.Machines} machines holding a job after two plans ({idle}); {comparison}"));

            var planner = app.Services.GetRequiredService<ProductionPlanner>();
            var breakdowns = await BreakDownAsync(database, planner, machines, settings, progress, ct);
            foreach (var machine in machines)
            {
                await machine.DisposeAsync();
            }

            await app.StopAsync(ct);
            return string.Create(CultureInfo.InvariantCulture,
                $"production: {settings.Orders} orders × {ProductionShop.Operations} operations on {settings.Machines} machines, plan time {settings.PlanTime.TotalSeconds:0.#} s; "
                + $"orders released in {released.TotalSeconds:F1} s, first job dispatched {firstDispatch.TotalSeconds:F1} s after, {busy} of {settings.Machines} machines busy after two plans ({idle}); "
                + $"{comparison}; {breakdowns}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Why the idle machines are idle: the plan starts nothing on them yet, or a job planned to start by now was not sent.</summary>
    private static async Task<string> IdleByPlanAsync(IDatabase database, List<BenchCell> machines, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var due = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT machine_id FROM jobs WHERE status = 'waiting' AND planned_start <= @now", new { now }, cancellationToken: ct))).ToHashSet();
        var idle = machines.Where(m => m.Holding is null).ToList();
        return $"of the {idle.Count} idle, {idle.Count(m => !due.Contains(m.Id))} have nothing planned to start yet";
    }

    /// <summary>
    /// Breaks down a busy machine at a time (alarm telemetry) and times how soon its job is taken off it (the cancel
    /// command arrives) and how soon the next plan is committed, and where that plan put the job.
    /// </summary>
    private static async Task<string> BreakDownAsync(IDatabase database, ProductionPlanner planner, List<BenchCell> machines, Settings settings, Action<string> progress, CancellationToken ct)
    {
        var cancelled = new List<double>();
        var planned = new List<double>();
        int moved = 0, redispatched = 0;
        var random = new Random(settings.Seed);
        await using var connection = await database.OpenAsync(ct);
        for (var k = 0; k < settings.Breakdowns; k++)
        {
            var victim = machines.Where(m => m.Holding is not null).OrderBy(_ => random.Next()).FirstOrDefault();
            if (victim is null)
            {
                progress("  no machine holds a job: breakdowns stop here");
                break;
            }

            var job = victim.Holding!.Value;
            var broke = Stopwatch.StartNew();
            await victim.ReportAsync(power: 0, alarm: 7, ct);
            while (victim.Holding == job && broke.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5, ct);
            }

            cancelled.Add(broke.Elapsed.TotalMilliseconds);
            var plans = planner.Plans;
            while (planner.Plans == plans && broke.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5, ct);
            }

            planned.Add(broke.Elapsed.TotalMilliseconds);
            var (machine, status) = await connection.QuerySingleAsync<(long? Machine, string Status)>(new CommandDefinition(
                "SELECT machine_id, status FROM jobs WHERE id = @job", new { job }, cancellationToken: ct));
            moved += machine != victim.Id ? 1 : 0;
            redispatched += machine != victim.Id && status != JobStatus.Waiting ? 1 : 0;
            var onto = machine == victim.Id ? "the same machine after its repair allowance" : $"machine {machine} ({status})";
            progress(string.Create(CultureInfo.InvariantCulture,
                $"  breakdown {k + 1}/{settings.Breakdowns}: {victim.Name}'s job {job} cancelled after {cancelled[^1]:F0} ms, re-planned after {planned[^1]:F0} ms onto {onto}"));

            // Repaired; the next breakdown waits until the plan that takes the machine back is made.
            await victim.ReportAsync(power: 5, alarm: 0, ct);
            await Task.Delay(settings.PlanTime + TimeSpan.FromSeconds(1), ct);
        }

        cancelled.Sort();
        planned.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"breakdown → job cancelled on the machine: p50 {Percentile(cancelled, 0.5):F0} ms, max {cancelled.LastOrDefault():F0} ms; "
            + $"→ next plan committed: p50 {Percentile(planned, 0.5):F0} ms, max {planned.LastOrDefault():F0} ms; "
            + $"{moved} of {planned.Count} jobs planned onto another machine, {redispatched} dispatched there at once");
    }

    /// <summary>
    /// The same open orders, every job unstarted and every machine free, solved by the scheduler for the plan time
    /// and by earliest due date first (each operation on the capable machine that finishes it first, setups included): total weighted tardiness of each.
    /// </summary>
    private static async Task<string> CompareWithDispatchingRuleAsync(IDatabase database, long tenant, Settings settings, CancellationToken ct)
    {
        await using var s = await Session.BeginAsync(database, Caller.CommandLine(tenant), TimeProvider.System, ct);
        var orders = (await ProductionStore.OpenOrdersAsync(s))
            .Select(o => o with { Jobs = o.Jobs.Select(j => new JobRow { Id = j.Id, Seq = j.Seq, Capability = j.Capability, Quantity = j.Quantity, UnitMs = j.UnitMs, SetupMs = j.SetupMs, Status = JobStatus.Waiting, Operation = j.Operation }).ToList() })
            .ToList();
        var machines = (await ProductionStore.MachinesAsync(s, new Dictionary<long, string>())).Select(m => m with { Available = true }).ToList();
        var instance = new PlanBuilder(s.Now, orders, machines, TimeSpan.FromMinutes(30)).Instance!;
        var solved = SchedulingSolver.Solve(instance, new SolverOptions { TimeLimit = settings.PlanTime, Workers = 1, Objective = Objective.TotalWeightedTardiness }, ct);
        var edd = EarliestDueDate(instance);
        return string.Create(CultureInfo.InvariantCulture,
            $"weighted tardiness (unit-hours) scheduler {solved.Best.WeightedTardiness / 3600.0:N0} vs earliest-due-date rule {edd / 3600.0:N0} "
            + $"(ratio {(edd == 0 ? 1 : (double)solved.Best.WeightedTardiness / edd):F2}); makespan {solved.Best.Makespan / 3600.0:F1} h");
    }

    private static long EarliestDueDate(ShopInstance instance)
    {
        var free = new long[instance.MachineCount];
        var loaded = Enumerable.Repeat(SetupTimes.None, instance.MachineCount).ToArray();
        long tardiness = 0;
        foreach (var job in instance.Jobs.OrderBy(j => j.Due ?? long.MaxValue).ThenByDescending(j => j.Weight))
        {
            long ready = job.Release;
            foreach (var op in job.Operations)
            {
                long Finish(MachineOption o) => Math.Max(free[o.Machine] + (instance.Setups?.Get(o.Machine, loaded[o.Machine], op.SetupFamily) ?? 0), ready) + o.Duration;
                var best = op.Options.MinBy(Finish)!;
                ready = free[best.Machine] = Finish(best);
                loaded[best.Machine] = op.SetupFamily;
            }

            tardiness += job.Weight * Math.Max(0, ready - (job.Due ?? ready));
        }

        return tardiness;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
