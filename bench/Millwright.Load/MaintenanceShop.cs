using Millwright.Features.Calendars;
using Millwright.Features.Kpis;
using Millwright.Features.Production;
using Millwright.Features.States;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;
using ProductionStatus = Millwright.Features.Production.JobStatus;
using SimulatorStatus = Millwright.Simulator.Jobs.JobStatus;

namespace Millwright.Bench;

/// <summary>
/// The maintenance bench's order book and production, minute by minute in plant time, done as the platform does it:
/// the planner's own plan (<see cref="PlanBuilder"/> and <see cref="PlanSearch"/> with the production defaults, every
/// 30 minutes and at once on a new order, a machine lost or back), each free machine sent the first job of its plan
/// when it is its order's next step (as <c>ProductionPlanner</c> dispatches), and a machine that breaks down or
/// stops for maintenance told to drop its job, which is planned again with the units it made. The simulated machines
/// run in job mode: idle without a job, set up and run at the routing's unit time with one. What the platform would
/// store of each machine (its state each minute and the units counted) is kept for the KPIs (<see cref="Kpis"/>).
/// </summary>
internal sealed class MaintenanceShop
{
    /// <summary>Search steps per plan: fixed, so that a run repeats exactly at any load.</summary>
    public const int PlanIterations = 2_000;

    private static readonly long ReplanEvery = (long)TimeSpan.FromMinutes(30).TotalMilliseconds;
    private static readonly ProductionOptions Options = new() { PlanWorkers = 1 };

    private readonly List<(long Id, WearingMachine Machine, string Capability)> _machines = [];
    private readonly Dictionary<long, bool> _available = [];
    private readonly Dictionary<long, long> _heldJob = [];
    private readonly Dictionary<long, string> _program = [];
    private readonly Dictionary<long, long> _goodBefore = [];
    private readonly Dictionary<long, (string Program, long SetupMs, long ItemId)> _last = [];
    private readonly Queue<BenchOrder> _arriving;
    private readonly List<PlanOrder> _orders = [];
    private readonly Dictionary<long, (BenchOrder Order, long? CompletedAt)> _outcome = [];
    private readonly Dictionary<long, JobRow> _jobs = [];
    private readonly Dictionary<long, List<StateIntervalRow>> _states = [];
    private readonly Dictionary<long, List<CountBucket>> _counts = [];
    private readonly Dictionary<long, (double Parts, double Scrap)> _counters = [];
    private readonly Dictionary<string, double> _idealCycle = new(StringComparer.Ordinal);
    private long _nextJob = 1;
    private long _lastPlan = long.MinValue;
    private bool _dirty;

    /// <param name="machines">The fleet; those of kinds that take jobs are switched to job mode and given work.</param>
    public MaintenanceShop(IEnumerable<WearingMachine> machines, IEnumerable<BenchOrder> orders)
    {
        foreach (var machine in machines)
        {
            if (CapabilityOf(machine.Kind) is not { } capability || !machine.Model.TakeJobs())
            {
                continue;
            }

            var id = _machines.Count + 1L;
            _machines.Add((id, machine, capability));
            _available[id] = true;
            _states[id] = [];
            _counts[id] = [];
            _counters[id] = Counters(machine);
        }

        _arriving = new Queue<BenchOrder>(orders.OrderBy(o => o.Arrival));
        foreach (var step in MaintenanceOrders.Mix.SelectMany(m => m.Product.Steps))
        {
            _idealCycle[step.Program] = step.UnitSeconds;
        }
    }

    public int Plans { get; private set; }

    /// <summary>The machines given work (every one but the excavators).</summary>
    public int Machines => _machines.Count;

    /// <summary>One plant minute starting at <paramref name="now"/>, after the machines ran it: answers, losses, arrivals, plan, dispatch.</summary>
    public void Minute(DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        foreach (var (id, machine, _) in _machines)
        {
            Record(id, machine, at);
            TakeAnswers(id, machine, at);
            var available = machine.Model.State != MachineState.Down && !machine.Model.InMaintenance;
            if (available != _available[id])
            {
                _available[id] = available;
                _dirty = true;
                if (!available)
                {
                    Interrupt(id, machine);
                }
            }
        }

        while (_arriving.Count > 0 && _arriving.Peek().Arrival <= now)
        {
            Receive(_arriving.Dequeue(), at);
        }

        if (_dirty || at - _lastPlan >= ReplanEvery)
        {
            Plan(at, ct);
        }

        Dispatch(at);
    }

    /// <summary>Orders received, completed, and the on-time figures of those due by <paramref name="end"/>.</summary>
    public OrderFigures Delivery(DateTimeOffset end)
    {
        var endMs = end.ToUnixTimeMilliseconds();
        var due = _outcome.Values.Where(o => o.Order.Due <= end).ToList();
        var onTime = due.Count(o => o.CompletedAt is { } done && done <= o.Order.Due.ToUnixTimeMilliseconds());
        var tardiness = due.Select(o => Math.Max(0, (o.CompletedAt ?? endMs) - o.Order.Due.ToUnixTimeMilliseconds()) / 3_600_000.0).ToList();
        return new OrderFigures(_outcome.Count, _outcome.Values.Count(o => o.CompletedAt is not null), due.Count, onTime,
            tardiness.Count == 0 ? 0 : tardiness.Average());
    }

    /// <summary>
    /// The ISO 22400 KPIs of the machines given work over [from, to), by the platform's own computation
    /// (<see cref="KpiCalculator"/>, as <c>GET /api/v1/kpis</c> sums a line's machines) from the states and counts the
    /// platform would have stored, the site calendar's planned time and each program's ideal cycle (its routing's unit time).
    /// </summary>
    public (KpiInputs Inputs, KpiValues Kpis) Kpis(DateTimeOffset from, DateTimeOffset to) =>
        FleetKpis(_machines.Select(m => (m.Id, (IReadOnlyList<StateIntervalRow>)_states[m.Id], (IReadOnlyList<CountBucket>)_counts[m.Id])), _idealCycle, from, to);

    /// <summary>
    /// The KPIs of machines of the bench's site from their stored-shape states and counts: each machine's ISO 22400
    /// elements by <see cref="KpiCalculator.Inputs"/> over the site calendar's planned time, summed, then
    /// <see cref="KpiCalculator.Compute"/>, as the platform's KPI report does for a line.
    /// </summary>
    public static (KpiInputs Inputs, KpiValues Kpis) FleetKpis(IEnumerable<(long Id, IReadOnlyList<StateIntervalRow> States, IReadOnlyList<CountBucket> Counts)> machines,
        IReadOnlyDictionary<string, double> idealCycleByProgram, DateTimeOffset from, DateTimeOffset to)
    {
        var rules = StateRuleSet.Default with { IdealCycleByProgram = idealCycleByProgram };
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var total = KpiInputs.Zero;
        foreach (var (id, states, counts) in machines)
        {
            total += KpiCalculator.Inputs(MaintenancePlant.Calendar.PlannedFor(id, start, end), states, counts, rules, start, end, end);
        }

        return (total, KpiCalculator.Compute(total));
    }

    /// <summary>The capability a kind's machines offer here, as the demo names it; null for one that takes no jobs.</summary>
    public static string? CapabilityOf(MachineKind kind) => kind switch
    {
        MachineKind.Cnc => "5-axis-milling",
        MachineKind.InjectionMoulding => "injection-moulding",
        MachineKind.SandPrinter => "sand-3d-printing",
        _ => null,
    };

    /// <summary>The minute's state (as the platform's state tracker names it) and the units its counters rose by.</summary>
    private void Record(long id, WearingMachine machine, long at)
    {
        var state = machine.Model.State switch
        {
            MachineState.Down => MachineStateNames.Down,
            MachineState.Running => MachineStateNames.Running,
            MachineState.Setup => MachineStateNames.Setup,
            _ => MachineStateNames.Idle, // waiting for work, or standing for maintenance
        };
        var states = _states[id];
        if (states.Count == 0 || states[^1].State != state)
        {
            if (states.Count > 0)
            {
                states[^1].EndAt = at;
            }

            states.Add(new StateIntervalRow { Id = states.Count + 1, MachineId = id, State = state, StartAt = at });
        }

        var (parts, scrap) = Counters(machine);
        var (lastParts, lastScrap) = _counters[id];
        _counters[id] = (parts, scrap);
        if (parts > lastParts)
        {
            // Units are made only under a job; one finished within the minute is gone from the machine, so the program is the last one sent.
            var program = _program.GetValueOrDefault(id, "");
            _counts[id].Add(new CountBucket(at, program, parts - lastParts, Math.Max(0, scrap - lastScrap), 0));
        }
    }

    private static (double Parts, double Scrap) Counters(WearingMachine machine)
    {
        var values = machine.Model.Snapshot();
        double Of(string? tag) => tag is not null && values.TryGetValue(tag, out var v) ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (Of(StateRuleCatalog.PartsCounterOf(machine.Kind)), Of("scrap_count"));
    }

    private void TakeAnswers(long id, WearingMachine machine, long at)
    {
        while (machine.Model.PendingAnswers > 0)
        {
            var answer = machine.Model.TakeAnswer();
            if (!_jobs.TryGetValue(answer.JobId, out var job))
            {
                continue;
            }

            switch (answer.Status)
            {
                case SimulatorStatus.Accepted:
                    job.Status = ProductionStatus.Running;
                    break;
                case SimulatorStatus.Rejected:
                    Requeue(job);
                    _heldJob.Remove(id);
                    _dirty = true;
                    break;
                case SimulatorStatus.Completed:
                    job.Good = _goodBefore.GetValueOrDefault(job.Id) + answer.Good;
                    job.Scrap += answer.Scrap;
                    job.Status = ProductionStatus.Done;
                    job.EndedAt = at;
                    _heldJob.Remove(id);
                    var order = _orders.Single(o => o.Order.Id == job.OrderId);
                    _last[id] = (job.Program, job.SetupMs, order.Order.ItemId);
                    if (order.Jobs.All(j => j.Status == ProductionStatus.Done))
                    {
                        order.Order.Status = OrderStatus.Completed;
                        order.Order.CompletedAt = at;
                        _outcome[order.Order.Id] = (_outcome[order.Order.Id].Order, at);
                    }

                    break;
            }
        }

        // What the platform counts of the held job: its good units so far, and when it left setup.
        if (_heldJob.TryGetValue(id, out var held) && machine.Model.Job is { } running && running.JobId == held)
        {
            var job = _jobs[held];
            job.Good = _goodBefore.GetValueOrDefault(held) + running.Good;
            job.StartedAt ??= machine.Model.State == MachineState.Running ? at : null;
        }
    }

    /// <summary>
    /// A machine about to stop for maintenance within a shift drops its job first (cancelling it afterwards would end
    /// the simulator's maintenance spell); the job is planned again.
    /// </summary>
    public void BeforeMaintenance(WearingMachine machine)
    {
        if (_machines.FirstOrDefault(m => m.Machine == machine) is { Id: > 0 } found)
        {
            Interrupt(found.Id, machine);
            _dirty = true;
        }
    }

    /// <summary>A machine lost (down, or stopped for maintenance) drops its job, as the planner tells it to; the job is planned again.</summary>
    private void Interrupt(long id, WearingMachine machine)
    {
        if (!_heldJob.Remove(id, out var held))
        {
            return;
        }

        var job = _jobs[held];
        machine.Model.Handle(new JobCommand(JobCommandKind.Cancel, $"j{held}-c", held));
        while (machine.Model.PendingAnswers > 0)
        {
            machine.Model.TakeAnswer();
        }

        Requeue(job);
    }

    private void Requeue(JobRow job)
    {
        _goodBefore[job.Id] = job.Good;
        job.Status = ProductionStatus.Waiting;
        (job.StartedAt, job.DispatchedAt) = (null, null);
    }

    private void Receive(BenchOrder order, long at)
    {
        var row = new OrderRow
        {
            Id = order.Number, Number = $"M-{order.Number:D4}", SiteId = MaintenancePlant.SiteId, ItemId = ItemOf(order.Product), Item = order.Product.Sku,
            Quantity = order.Quantity, DueAt = order.Due.ToUnixTimeMilliseconds(), Priority = order.Priority, Status = OrderStatus.Released,
            CreatedAt = at, ReleasedAt = at,
        };
        var jobs = order.Product.Steps.Select((step, k) => new JobRow
        {
            Id = _nextJob++, OrderId = row.Id, OrderNumber = row.Number, Seq = k, Operation = step.Name, Capability = step.Capability,
            Program = step.Program, SetupMs = (long)(step.SetupSeconds * 1000), UnitMs = (long)(step.UnitSeconds * 1000), Quantity = order.Quantity,
            Status = ProductionStatus.Waiting,
        }).ToList();
        jobs.ForEach(j => _jobs[j.Id] = j);
        _orders.Add(new PlanOrder(row, jobs));
        _outcome[row.Id] = (order, null);
        _dirty = true;
    }

    private static long ItemOf(Millwright.Cli.DemoProduct product) =>
        1 + MaintenanceOrders.Mix.Select((m, i) => (m.Product, i)).Single(x => x.Product.Sku == product.Sku).i;

    private void Plan(long at, CancellationToken ct)
    {
        _lastPlan = at;
        _dirty = false;
        var open = _orders.Where(o => o.Order.Status != OrderStatus.Completed).ToList();
        if (open.Count == 0)
        {
            return;
        }

        var machines = _machines.Select(m => new PlanMachine(m.Id, m.Machine.Model.Name, MaintenancePlant.SiteId, new HashSet<string> { m.Capability },
            _available[m.Id], _last.TryGetValue(m.Id, out var last) ? last : null)).ToList();
        var calendar = new PlanningCalendar(at, new Dictionary<long, WorkingTime> { [MaintenancePlant.SiteId] = MaintenancePlant.WorkingFrom(at, PlanningCalendar.Horizon) }, []);
        var builder = new PlanBuilder(at, open, machines, Options.RepairAllowance, calendar, new PlanSettings(Options.FrozenHorizon));
        var result = PlanSearch.Solve(builder, Options, ct, PlanIterations);
        var plan = builder.Read(result?.Best.Schedule, result?.Best.WeightedTardiness ?? 0, result?.Best.Makespan ?? 0);
        foreach (var planned in plan.Jobs)
        {
            if (_jobs.TryGetValue(planned.JobId, out var job) && job.Status == ProductionStatus.Waiting)
            {
                (job.MachineId, job.PlannedStart, job.PlannedSetupMs, job.PlannedEnd) = (planned.MachineId, planned.Start, planned.SetupMs, planned.End);
            }
        }

        foreach (var order in open)
        {
            order.Order.EtaAt = plan.Eta.TryGetValue(order.Order.Id, out var eta) ? eta : null;
        }

        Plans++;
    }

    /// <summary>Each free, available machine gets the first waiting job of its plan when that job is its order's next step.</summary>
    private void Dispatch(long at)
    {
        var open = _orders.Where(o => o.Order.Status != OrderStatus.Completed).ToList();
        var ready = open.Select(o => o.Jobs.FirstOrDefault(j => j.Status != ProductionStatus.Done))
            .Where(j => j is { Status: ProductionStatus.Waiting, MachineId: not null, PlannedStart: not null }).Select(j => j!.Id).ToHashSet();
        var firstOnMachine = open.SelectMany(o => o.Jobs)
            .Where(j => j.Status == ProductionStatus.Waiting && j.MachineId is not null && j.PlannedStart is not null)
            .GroupBy(j => j.MachineId!.Value)
            .Select(g => g.MinBy(j => (j.PlannedStart, j.Id))!);
        foreach (var job in firstOnMachine)
        {
            var id = job.MachineId!.Value;
            if (!ready.Contains(job.Id) || _heldJob.ContainsKey(id) || !_available[id])
            {
                continue;
            }

            var machine = _machines[(int)id - 1].Machine;
            var left = (int)Math.Max(1, job.Quantity - job.Good);
            machine.Model.Handle(new JobCommand(JobCommandKind.Job, $"j{job.Id}-{++job.Commands}", job.Id)
            {
                Program = job.Program, Quantity = left, Setup = TimeSpan.FromMilliseconds(job.PlannedSetupMs ?? job.SetupMs), Unit = TimeSpan.FromMilliseconds(job.UnitMs),
            });
            job.Status = ProductionStatus.Dispatched;
            job.DispatchedAt = at;
            _heldJob[id] = job.Id;
            _program[id] = job.Program;
            var order = _orders.Single(o => o.Order.Id == job.OrderId).Order;
            order.Status = OrderStatus.InProgress;
        }
    }
}

/// <summary>Orders received and completed in a run; on time and tardiness over the orders due by its end (open ones counted late until the end).</summary>
internal sealed record OrderFigures(int Received, int Completed, int Due, int OnTime, double MeanTardinessHours)
{
    public double OnTimeShare => Due == 0 ? 0 : (double)OnTime / Due;
}
