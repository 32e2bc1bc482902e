using System.Diagnostics;
using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>Planning and dispatch.</summary>
internal sealed partial class ProductionPlanner
{
    /// <summary>Plans the tenant's open orders again and records it; a plan that moves jobs is written to the audit log.</summary>
    private async Task PlanAsync(long tenant, List<string> reasons, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var s = await OpenAsync(tenant);
        var now = s.Now;
        var orders = await ProductionStore.OpenOrdersAsync(s);
        var machines = await ProductionStore.WithLoadedProgramsAsync(s, await ProductionStore.MachinesAsync(s, StatesOf(tenant)));
        var calendar = await PlanningCalendar.LoadAsync(s, machines, now);
        var settings = await LearnedAsync(s, machines, tenant);
        var builder = new PlanBuilder(now, orders, machines, options.RepairAllowance, calendar, settings, await ReservationsAsync(s, now), await JobTimesAsync(s, orders, machines));
        var result = await Task.Run(() => PlanSearch.Solve(builder, options, cancellationToken), cancellationToken);
        var plan = builder.Read(result?.Best.Schedule, result?.Best.WeightedTardiness ?? 0, result?.Best.Makespan ?? 0);
        var jobs = orders.SelectMany(o => o.Jobs).ToDictionary(j => j.Id);
        var moves = PlanChanges.Compare(jobs.Values, plan, machines, options.ShiftTolerance);
        foreach (var p in plan.Jobs)
        {
            if (JobStatus.IsActive(jobs[p.JobId].Status))
            {
                await ProductionStore.SetPlannedEndAsync(s, p.JobId, p.End);
                continue;
            }

            await ProductionStore.PlaceJobAsync(s, p.JobId, p.MachineId, p.Start, p.SetupMs, p.End);
            if (p.UnitMs is { } unitMs && unitMs != jobs[p.JobId].UnitMs)
            {
                // Timed on the machine chosen: the job carries that machine's unit time to it, and a held job's remaining work is reckoned by it.
                await ProductionStore.RetimeJobAsync(s, p.JobId, jobs[p.JobId].SetupMs, unitMs);
            }
        }

        var moved = moves.Where(m => m.FromMachineId != m.ToMachineId)
            .Select(m => $"{m.OrderNumber} '{m.Operation}' {Name(machines, m.FromMachineId)} → {Name(machines, m.ToMachineId)}").ToList();
        var shifted = moves.Count - moved.Count;
        var problemsChanged = false;
        foreach (var (order, _) in orders)
        {
            var problem = plan.Problems.GetValueOrDefault(order.Id);
            problemsChanged |= problem != order.Problem;
            await ProductionStore.ForecastOrderAsync(s, order.Id, plan.Eta.TryGetValue(order.Id, out var eta) ? eta : null, problem);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{string.Join("; ", reasons)}: {plan.Jobs.Count} jobs of {orders.Count} orders planned in {elapsed.TotalMilliseconds:0} ms, "
            + $"weighted tardiness {plan.WeightedTardiness} s, last job ends in {plan.Makespan} s")
            + (moved.Count > 0 ? $"; moved {moved.Count}: {string.Join(", ", moved.Take(10))}{(moved.Count > 10 ? ", …" : "")}" : "")
            + (shifted > 0 ? $"; {shifted} shifted beyond {options.ShiftTolerance.TotalMinutes:0.#} min" : "")
            + (builder.Frozen.Count > 0 ? $"; {builder.Frozen.Count} frozen" : "")
            + (plan.Problems.Count > 0 ? $"; cannot plan {plan.Problems.Count}: {string.Join(", ", plan.Problems.Take(3).Select(p => $"order {p.Key}: {p.Value}"))}" : "");
        if (moves.Count > 0 || problemsChanged || !reasons.All(r => r == PeriodicReason))
        {
            await s.AuditAsync("plan", "schedule", null, summary.Length > 2000 ? summary[..2000] : summary);
            await ProductionStore.RecordRevisionAsync(s, string.Join("; ", reasons), plan.Jobs.Count, builder.Frozen.Count, plan.WeightedTardiness,
                result is null ? 0 : result.Best.Objective - result.Best.WeightedTardiness, moves);
        }

        await s.CommitAsync(CancellationToken.None);
        Plans++;
        _lastPlanned[tenant] = now;
        if (orders.Count == 0)
        {
            _lastPlanned.Remove(tenant);
        }

        LogPlan(logger, tenant, summary);
    }

    private const string PeriodicReason = "periodic re-plan";

    /// <summary>What the machines' history teaches the plan (repair times, changeovers), with the frozen horizon.</summary>
    private Task<PlanSettings> LearnedAsync(Session s, List<PlanMachine> machines, long tenant) =>
        MachineHistory.LoadAsync(s, machines, StatesOf(tenant), options.FrozenHorizon);

    /// <summary>
    /// Sends each free, available machine the first job of its plan, if that job's previous operation is done and
    /// the machine's calendar lets it work now (a closed site gets its work at the first round after it opens).
    /// The plan's order on a machine is kept: a later job does not jump ahead of one still waiting for its part.
    /// Rows are written first and commands sent after the commit, so an answer always finds its job dispatched.
    /// </summary>
    private async Task DispatchAsync(long tenant)
    {
        var outgoing = new List<(string Machine, JobRow Job, OrderRow Order, long MachineId)>();
        await using (var s = await OpenAsync(tenant))
        {
            var orders = await ProductionStore.OpenOrdersAsync(s);
            if (orders.Count == 0)
            {
                return;
            }

            var machines = (await ProductionStore.MachinesAsync(s, StatesOf(tenant))).ToDictionary(m => m.Id);
            var calendar = await PlanningCalendar.LoadAsync(s, machines.Values, s.Now, TimeSpan.FromMinutes(1));
            var reserved = (await ReservationsAsync(s, s.Now)).Select(r => r.OrderId).ToHashSet();
            var busy = orders.SelectMany(o => o.Jobs).Where(j => JobStatus.IsActive(j.Status) && j.MachineId is not null).Select(j => j.MachineId!.Value).ToHashSet();
            var ready = orders.Select(o => (o.Order, First: o.Jobs.FirstOrDefault(j => j.Status is not (JobStatus.Done or JobStatus.Cancelled))))
                .Where(x => x.First is { Status: JobStatus.Waiting, MachineId: not null, PlannedStart: not null } && x.Order.Problem is null)
                .ToDictionary(x => x.First!.Id, x => x.Order);
            var firstOnMachine = orders.SelectMany(o => o.Jobs)
                .Where(j => j.Status == JobStatus.Waiting && j.MachineId is not null && j.PlannedStart is not null)
                .GroupBy(j => j.MachineId!.Value)
                .Select(g => g.MinBy(j => (j.PlannedStart, j.Id))!);
            foreach (var job in firstOnMachine)
            {
                var machineId = job.MachineId!.Value;
                // Reserved (sold) machine time is kept to: its job waits for the reservation to begin, and so does the machine.
                if (!ready.TryGetValue(job.Id, out var order) || busy.Contains(machineId) || (reserved.Contains(order.Id) && s.Now < job.PlannedStart)
                    || !machines.TryGetValue(machineId, out var machine) || !machine.Available || !calendar.IsOpen(machine, s.Now))
                {
                    continue;
                }

                // A job cancelled since it was read is not sent.
                if (!await ProductionStore.DispatchJobAsync(s, job.Id))
                {
                    continue;
                }

                await ProductionStore.StartOrderAsync(s, order.Id);
                outgoing.Add((machine.Name, job, order, machineId));
            }

            if (outgoing.Count == 0)
            {
                return;
            }

            var slug = await SlugAsync(s);
            await s.CommitAsync();
            foreach (var (name, job, order, machineId) in outgoing)
            {
                inbox.Hold(tenant, machineId, job.Id);
                _lateFlagged.Remove(job.Id);
                await SendAsync(tenant, slug, machineId, name, CommandJson.Job(job, order, $"j{job.Id}-{job.Commands + 1}", s.Now), job.Id);
            }
        }
    }

    private async Task<List<MachineReservation>> ReservationsAsync(Session s, long from)
    {
        var all = new List<MachineReservation>();
        foreach (var source in reservations)
        {
            all.AddRange(await source.LoadAsync(s, from));
        }

        return all;
    }

    private async Task<Dictionary<(long JobId, long MachineId), JobTime>> JobTimesAsync(Session s, IReadOnlyList<PlanOrder> orders, IReadOnlyList<PlanMachine> machines)
    {
        var all = new Dictionary<(long JobId, long MachineId), JobTime>();
        foreach (var source in jobTimes)
        {
            foreach (var (key, time) in await source.LoadAsync(s, orders, machines))
            {
                all[key] = time;
            }
        }

        return all;
    }

    private Dictionary<long, string> StatesOf(long tenant) =>
        _states.Where(kv => kv.Key.Tenant == tenant).ToDictionary(kv => kv.Key.Machine, kv => kv.Value);

    private static string Name(List<PlanMachine> machines, long id) => machines.FirstOrDefault(m => m.Id == id)?.Name ?? $"machine {id}";
}
