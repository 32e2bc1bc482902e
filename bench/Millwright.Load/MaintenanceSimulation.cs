using Millwright.Learning.Risk;
using Millwright.Simulator.Models;

namespace Millwright.Bench;

/// <summary>
/// One fleet under one maintenance policy (docs/predictive-maintenance.md, "Benchmark"). The plant works two shifts,
/// Monday to Friday 06:00-22:00; outside them the machines stand still (their clocks run only in production time) and
/// maintenance done there costs no production. Every policy maintains in the free window at a shift's end when it
/// decides to; only the predictive one also stops a machine within a shift when its risk will not wait, and (unless
/// <c>--deadline-only</c>) renews a part during a breakdown's repair when that is expected to cost less than waiting.
/// </summary>
internal sealed class MaintenanceSimulation : IDisposable
{
    /// <summary>A stop within a shift takes this much production time; one in the free window takes none.</summary>
    public static readonly TimeSpan StopInShift = TimeSpan.FromHours(2);

    /// <summary>The fixed interval: the B5 life at nominal pace (5 % of parts failed), 0.75 of the nominal life (docs/wear-model.md).</summary>
    public const double FixedShareOfLife = 0.75;

    private const int ShiftStartHour = 6;
    private const int ShiftEndHour = 22;
    private static readonly TimeSpan ProductionDay = TimeSpan.FromHours(ShiftEndHour - ShiftStartHour);

    private readonly MaintenancePolicy _policy;
    private readonly List<WearingMachine> _machines;
    private readonly Dictionary<MachineKind, KindRecord> _record;
    private readonly RiskOptions _options;
    private readonly bool _byCost;
    private readonly bool _opportunistic;
    private readonly MaintenanceShop? _shop;
    private readonly MaintenanceBook _book;

    /// <param name="record">Per kind, what the predictor learns from (and adds to): degradation at each wear failure and healthy levels.</param>
    /// <param name="options">The risk method's and cost decision's settings (the platform's defaults unless a run tries others).</param>
    /// <param name="byCost">The predictive policy decides by <see cref="MaintenanceDecision"/> instead of the accepted-risk deadline.</param>
    /// <param name="orders">The customer orders the factory works on (its machines then run in job mode, planned by the platform's planner); null: none, every machine cycles on its own.</param>
    public MaintenanceSimulation(MaintenancePolicy policy, int seed, int perKind, DateTimeOffset start, Dictionary<MachineKind, KindRecord> record, RiskOptions? options = null, bool byCost = false, bool opportunistic = false,
        IReadOnlyList<BenchOrder>? orders = null)
    {
        _opportunistic = opportunistic;
        _options = options ?? new RiskOptions();
        _byCost = byCost;
        _policy = policy;
        _record = record;
        MachineKind[] kinds = [MachineKind.Cnc, MachineKind.InjectionMoulding, MachineKind.SandPrinter, MachineKind.Construction];
        var fleet = kinds.SelectMany((kind, k) => Enumerable.Range(0, perKind).Select(i => (Kind: kind, Seed: unchecked((seed * 1_000) + (k * 100) + i)))).ToList();
        _book = MaintenanceBook.Create(fleet.Select(m => WearingMachine.Name(m.Kind, m.Seed)));
        _machines = [.. fleet.Select(m => new WearingMachine(m.Kind, m.Seed, start, record[m.Kind], _book))];
        Start = start;
        _shop = orders is null ? null : new MaintenanceShop(_machines, orders);
    }

    public DateTimeOffset Start { get; }

    /// <summary>Where the crew's maintenance records are stored, the platform's store of this run.</summary>
    public MaintenanceBook Book => _book;

    public void Dispose() => _book.Dispose();

    /// <summary>The fleet, for tests that compare what its machines made with what the bench counted.</summary>
    public IReadOnlyList<WearingMachine> Machines => _machines;

    /// <summary>Runs <paramref name="days"/> plant days from a Monday midnight, reporting progress once a simulated week.</summary>
    public MaintenanceOutcome Run(int days, Action<string> progress, CancellationToken ct)
    {
        for (var minute = 0; minute < days * 24 * 60; minute++)
        {
            var now = Start.AddMinutes(minute);
            var working = now.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && now.Hour is >= ShiftStartHour and < ShiftEndHour;
            if (working)
            {
                foreach (var machine in _machines)
                {
                    machine.ProductionMinute();
                    if (_policy == MaintenancePolicy.Predictive && _opportunistic && machine.TakeDownStart())
                    {
                        AtRepair(machine);
                    }

                    if (_policy == MaintenancePolicy.Predictive && now.Minute == 0)
                    {
                        WithinShift(machine);
                    }
                }

                _shop?.Minute(now, ct);
            }
            else if (now.Hour == ShiftEndHour && now.Minute == 0 && now.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                ct.ThrowIfCancellationRequested();
                _machines.ForEach(AtShiftEnd);
            }

            if (minute % (7 * 24 * 60) == 0 && minute > 0)
            {
                progress($"  {_policy}: day {minute / (24 * 60)} of {days}");
            }
        }

        if (Environment.GetEnvironmentVariable("MW_MAINTENANCE_TRACE") == "1")
        {
            foreach (var machine in _machines.Where(m => m.Trace.Count > 0))
            {
                progress($"  trace {_policy} {machine.Model.Name}: {string.Join("; ", machine.Trace)}");
            }
        }

        var end = Start.AddDays(days);
        var kpis = _shop?.Kpis(Start, end);
        return new MaintenanceOutcome(_policy, _machines.Sum(m => m.WearBreakdowns), _machines.Sum(m => m.Stoppages),
            _machines.Sum(m => m.WearDownHours), _machines.Sum(m => m.StoppageDownHours), _machines.Sum(m => m.MaintenanceStops),
            _machines.Sum(m => m.StopsInShift), _machines.Sum(m => m.RenewalsAtRepairs), _machines.Sum(m => m.MaintenanceHours), ProductionHours(days) * _machines.Count, _machines.Sum(m => m.Units()),
            _shop?.Delivery(end), kpis?.Kpis, kpis?.Inputs);
    }

    private double ProductionHours(int days) =>
        Enumerable.Range(0, days).Count(d => Start.AddDays(d).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) * ProductionDay.TotalHours;

    /// <summary>The free window after the shift: the fixed policy maintains when its interval would run out before the next one; the predictive one when the planner picks now.</summary>
    private void AtShiftEnd(WearingMachine machine)
    {
        switch (_policy)
        {
            case MaintenancePolicy.Fixed:
                var ahead = machine.RunningShare * ProductionDay.TotalHours;
                if (machine.RunningHoursSinceRenewal + ahead >= FixedShareOfLife * machine.NominalLifeHours)
                {
                    machine.Maintain(TimeSpan.Zero);
                }

                break;
            case MaintenancePolicy.Predictive:
                Plan(machine, atShiftEnd: true);
                break;
        }
    }

    /// <summary>Hourly in the shift: a planned stop that is due starts; a machine without a plan is checked again.</summary>
    private void WithinShift(WearingMachine machine)
    {
        var now = machine.Clock.GetUtcNow();
        if (machine.PlannedAt is { } at && at <= now)
        {
            if (machine.Model.State != MachineState.Down)
            {
                _shop?.BeforeMaintenance(machine);
            }

            if (!machine.Maintain(StopInShift))
            {
                machine.PlannedAt = null; // down meanwhile: the repair comes first
            }

            return;
        }

        if (machine.PlannedAt is null)
        {
            Plan(machine, atShiftEnd: false);
        }
    }

    /// <summary>
    /// A breakdown: the crew is at the stopped machine, and renews the part too when that is expected to cost less than
    /// waiting for the next stop or one of its own (docs/predictive-maintenance.md, "Opportunistic renewal").
    /// </summary>
    private void AtRepair(WearingMachine machine)
    {
        var record = _record[machine.Kind];
        if (FailureThreshold.Learn(record.Failures, _options) is not { } threshold || record.Opportunity(_options, StopInShift) is not { } costs)
        {
            return;
        }

        var degradation = machine.Degradation(_options);
        var hours = FailureRisk.HoursUntilRisk(degradation, threshold, machine.RunningShare, _options.Acceptable);
        if (OpportunisticRenewal.RenewNow(hours, degradation, threshold, machine.RunningShare, costs))
        {
            machine.MaintainDuringRepair(StopInShift);
        }
    }

    /// <summary>
    /// The slots until the next free window, in the machine's production time: now (free only at a shift's end),
    /// each hour of the coming shift (costing <see cref="StopInShift"/>), and the next free window (free). By default
    /// the planner takes the cheapest that starts by the accepted-risk deadline, the latest of equals; with
    /// <c>--renewal-cost</c> the cost decision takes the slot whose renewal is expected to cost least
    /// (docs/predictive-maintenance.md, "When to maintain: the cost decision").
    /// </summary>
    private void Plan(WearingMachine machine, bool atShiftEnd)
    {
        var record = _record[machine.Kind];
        if (machine.Model.State == MachineState.Down || FailureThreshold.Learn(record.Failures, _options) is not { } threshold)
        {
            return;
        }

        var degradation = machine.Degradation(_options);
        if (!degradation.Known)
        {
            return; // a new part, before its baseline: nothing says it is worn (a repair that renewed it counts too)
        }

        // Machine time runs only in shifts, so the time into today's shift is the production time so far modulo a day's.
        var now = machine.Clock.GetUtcNow();
        var left = atShiftEnd ? ProductionDay : ProductionDay - TimeSpan.FromHours((now - Start).TotalHours % ProductionDay.TotalHours);
        var slots = new List<MaintenanceSlot> { new(now, atShiftEnd ? 0 : StopInShift.TotalHours), new(now + left, 0) };
        for (var hour = TimeSpan.FromHours(1); hour < left; hour += TimeSpan.FromHours(1))
        {
            slots.Add(new MaintenanceSlot(now + hour, StopInShift.TotalHours));
        }

        MaintenanceSlot chosen;
        if (_byCost)
        {
            if (record.Decision(_options) is not { } decision)
            {
                return;
            }

            chosen = decision.Choose(slots, degradation, machine.RunningShare, now) ?? slots[1];
        }
        else if (MaintenancePlanner.Deadline(now, degradation, threshold, machine.RunningShare, _options.Acceptable) is { } deadline)
        {
            chosen = MaintenancePlanner.Choose(slots, deadline) ?? slots[0]; // overdue (no slot by the deadline): stop now
        }
        else
        {
            return;
        }

        if (chosen.Start == now)
        {
            if (!atShiftEnd)
            {
                _shop?.BeforeMaintenance(machine);
            }

            machine.Maintain(atShiftEnd ? TimeSpan.Zero : StopInShift);
        }
        else if (chosen.Start < now + left)
        {
            machine.PlannedAt = chosen.Start;
        }
    }
}
