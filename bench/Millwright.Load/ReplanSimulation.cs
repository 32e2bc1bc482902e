using System.Diagnostics;
using Millwright.Features.Production;

namespace Millwright.Bench;

/// <summary>
/// One simulated day of <c>bench replan</c>, minute by minute, doing what the planner does: follow the machines,
/// re-plan every 15 minutes and on every breakdown, repair and new order (through <see cref="PlanBuilder"/> and
/// <see cref="PlanSearch"/>, as production does), and send each free machine the first job of its plan.
/// </summary>
internal sealed class ReplanSimulation(ReplanShop shop, ProductionOptions options, int iterations)
{
    private static readonly long ReplanEvery = 15 * ReplanShop.Minute;
    private static readonly TimeSpan Repair = TimeSpan.FromMinutes(30);
    private readonly Dictionary<long, (JobRow Job, long SetupLeft, double Made)> _held = [];
    private readonly Dictionary<long, long> _downUntil = [];
    private readonly Dictionary<long, (string Program, long SetupMs, long ItemId)> _last = [];
    private readonly Dictionary<long, long> _completedAt = [];
    private long _lastPlan = long.MinValue;
    private bool _dirty = true;

    public int Replans { get; private set; }

    public int Moved { get; private set; }

    public int MachineChanges { get; private set; }

    public int MaxMoved { get; private set; }

    public int Frozen { get; private set; }

    public int Completed => _completedAt.Count;

    public TimeSpan PlanTime { get; private set; }

    public void Step(long now, CancellationToken ct)
    {
        Work(now);
        Disturb(now);
        if (_dirty || now - _lastPlan >= ReplanEvery)
        {
            Plan(now, ct);
        }

        Dispatch(now);
    }

    /// <summary>Each order's tardiness, weighted by its priority: completed ones at completion, open ones at their planned end (or now).</summary>
    public long WeightedTardiness(long now) => shop.Orders.Sum(o =>
    {
        var end = _completedAt.TryGetValue(o.Order.Id, out var done) ? done : Math.Max(now, o.Order.EtaAt ?? now);
        return o.Order.Priority * Math.Max(0, end - o.Order.DueAt) / 1000;
    });

    private void Work(long now)
    {
        foreach (var (machine, (job, setupLeft, made)) in _held.ToList())
        {
            var speed = shop.Speed[(int)machine - 1];
            if (setupLeft > 0)
            {
                _held[machine] = (job, setupLeft - ReplanShop.Minute, made);
                job.StartedAt = setupLeft <= ReplanShop.Minute ? now : null;
                job.Status = setupLeft <= ReplanShop.Minute ? JobStatus.Running : job.Status;
                continue;
            }

            var total = made + (ReplanShop.Minute / (job.UnitMs * speed));
            job.Good = (long)total;
            _held[machine] = (job, 0, total);
            if (job.Good >= job.Quantity)
            {
                job.Status = JobStatus.Done;
                job.EndedAt = now;
                _held.Remove(machine);
                var order = shop.Orders.Single(o => o.Order.Id == job.OrderId);
                _last[machine] = (job.Program, job.SetupMs, order.Order.ItemId);
                if (order.Jobs.All(j => j.Status == JobStatus.Done))
                {
                    order.Order.Status = OrderStatus.Completed;
                    _completedAt[order.Order.Id] = now;
                }
            }
        }
    }

    /// <summary>Breakdowns (a machine fails about once in 8 hours and is repaired in 10-80 minutes), repairs and new orders (about one in 20 minutes).</summary>
    private void Disturb(long now)
    {
        var random = shop.Random;
        for (var m = 0; m < shop.Machines.Count; m++)
        {
            var machine = shop.Machines[m];
            if (!machine.Available && _downUntil[machine.Id] <= now)
            {
                shop.Machines[m] = machine with { Available = true };
                _dirty = true;
            }
            else if (machine.Available && random.NextDouble() < 1.0 / 480)
            {
                shop.Machines[m] = machine with { Available = false };
                _downUntil[machine.Id] = now + (random.Next(10, 81) * ReplanShop.Minute);
                if (_held.Remove(machine.Id, out var held))
                {
                    held.Job.Status = JobStatus.Waiting;
                    held.Job.StartedAt = null;
                    held.Job.DispatchedAt = null;
                }

                _dirty = true;
            }
        }

        if (random.NextDouble() < 1.0 / 20)
        {
            shop.AddOrder(now);
            _dirty = true;
        }
    }

    private void Plan(long now, CancellationToken ct)
    {
        var open = shop.Orders.Where(o => o.Order.Status != OrderStatus.Completed).ToList();
        var machines = shop.Machines.Select(m => _last.TryGetValue(m.Id, out var last) ? m with { Last = last } : m).ToList();
        var builder = new PlanBuilder(now, open, machines, Repair, null, new PlanSettings(options.FrozenHorizon));
        var clock = Stopwatch.StartNew();
        var result = PlanSearch.Solve(builder, options, ct, iterations);
        PlanTime += clock.Elapsed;
        var plan = builder.Read(result?.Best.Schedule, result?.Best.WeightedTardiness ?? 0, result?.Best.Makespan ?? 0);
        var jobs = open.SelectMany(o => o.Jobs).ToDictionary(j => j.Id);
        var moves = PlanChanges.Compare(jobs.Values, plan, machines, options.ShiftTolerance);
        foreach (var p in plan.Jobs.Where(p => jobs[p.JobId].Status == JobStatus.Waiting))
        {
            var job = jobs[p.JobId];
            (job.MachineId, job.PlannedStart, job.PlannedSetupMs, job.PlannedEnd) = (p.MachineId, p.Start, p.SetupMs, p.End);
        }

        foreach (var order in open)
        {
            order.Order.EtaAt = plan.Eta.TryGetValue(order.Order.Id, out var eta) ? eta : null;
        }

        // The first plan places everything; it moves nothing.
        if (_lastPlan != long.MinValue)
        {
            Replans++;
            Moved += moves.Count;
            MachineChanges += moves.Count(m => m.FromMachineId != m.ToMachineId);
            MaxMoved = Math.Max(MaxMoved, moves.Count);
            Frozen += builder.Frozen.Count;
        }

        _lastPlan = now;
        _dirty = false;
    }

    /// <summary>Each free, available machine gets the first job of its plan once that job's previous operation is done.</summary>
    private void Dispatch(long now)
    {
        foreach (var machine in shop.Machines.Where(m => m.Available && !_held.ContainsKey(m.Id)))
        {
            var next = shop.Orders.Where(o => o.Order.Status != OrderStatus.Completed)
                .Select(o => o.Jobs.FirstOrDefault(j => j.Status != JobStatus.Done))
                .Where(j => j is { Status: JobStatus.Waiting, PlannedStart: not null } && j.MachineId == machine.Id)
                .MinBy(j => (j!.PlannedStart, j.Id));
            var first = shop.Orders.SelectMany(o => o.Jobs).Where(j => j.Status == JobStatus.Waiting && j.MachineId == machine.Id && j.PlannedStart is not null)
                .MinBy(j => (j.PlannedStart, j.Id));
            if (next is null || first is null || next.Id != first.Id)
            {
                continue;
            }

            next.Status = JobStatus.Dispatched;
            next.DispatchedAt = now;
            _held[machine.Id] = (next, next.PlannedSetupMs ?? next.SetupMs, next.Good);
        }
    }
}
