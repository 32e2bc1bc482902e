using Millwright.Features.Maintenance;
using Millwright.Features.States;
using Millwright.Learning.Risk;
using Millwright.Simulator.Models;

namespace Millwright.Bench;

/// <summary>
/// One simulated machine of the maintenance bench and what the platform would store of it: its indicator's readings
/// while it runs (one a minute), its states, the alarm code of each breakdown and its maintenance stops. The policies
/// decide from these only; the simulator's wear level is never read here.
/// </summary>
internal sealed class WearingMachine
{
    // What the platform stores of the machine: its indicator's running readings and its state intervals (as the state
    // tracker writes them); its maintenance records are in the book.
    private readonly List<IndicatorReading> _readings = [];
    private readonly List<StateIntervalRow> _intervals = [];
    private readonly KindRecord _record;
    private readonly MaintenanceBook _book;
    private readonly long _id;
    private long _runningMinutes;
    private long _productionMinutes;
    private bool _wearDown;

    public WearingMachine(MachineKind kind, int seed, DateTimeOffset start, KindRecord record, MaintenanceBook book)
    {
        Kind = kind;
        Clock = new SteppedClock(start);
        Model = MachineFactory.Create(kind, Name(kind, seed), seed, Clock);
        (Indicator, WearAlarm, NominalLifeHours) = Known(kind);
        _record = record;
        _book = book;
        _id = book.Ids[Model.Name];
        _intervals.Add(new StateIntervalRow { Id = 1, MachineId = _id, State = StateName(Model.State), StartAt = start.ToUnixTimeMilliseconds() });
        Model.StateChanged += OnStateChanged;
    }

    /// <summary>The simulated machine's name, which is also its name on the platform.</summary>
    public static string Name(MachineKind kind, int seed) => $"{kind}-{seed}";

    public MachineKind Kind { get; }

    public SteppedClock Clock { get; }

    public SimulatedMachine Model { get; }

    public DegradationIndicator Indicator { get; }

    /// <summary>The alarm code the kind's wear failure raises (shared with some random stoppages, so not what the predictor goes by).</summary>
    public int WearAlarm { get; }

    /// <summary>The part's nominal life in running hours, the maker's figure a fixed interval is set from.</summary>
    public double NominalLifeHours { get; }

    /// <summary>Running hours of the current part, from the stored states and renewals (what a fixed interval counts).</summary>
    public double RunningHoursSinceRenewal
    {
        get
        {
            var life = Life();
            var fitted = life.RenewedBefore(Now + 1) ?? long.MinValue;
            return life.Running.Sum(r => Math.Max(0, r.End - Math.Max(r.Start, fitted))) / 3_600_000.0;
        }
    }

    public double RunningShare => _productionMinutes == 0 ? 0.5 : (double)_runningMinutes / _productionMinutes;

    public int WearBreakdowns { get; private set; }

    public int Stoppages { get; private set; }

    public double WearDownHours { get; private set; }

    public double StoppageDownHours { get; private set; }

    public int MaintenanceStops { get; private set; }

    public double MaintenanceHours { get; private set; }

    public int StopsInShift { get; private set; }

    /// <summary>Parts renewed during a breakdown's repair (not a stop of their own; the renewal's time beyond the repair counts as maintenance).</summary>
    public int RenewalsAtRepairs { get; private set; }

    /// <summary>
    /// For diagnosis only (<c>MW_MAINTENANCE_TRACE=1</c>): each maintenance and wear failure with the part's true wear,
    /// read from the model like the report's breakdown counts; no policy sees it.
    /// </summary>
    public List<string> Trace { get; } = [];

    private int _part;
    private int _wearFailuresSeen;
    private double _wearAt;

    /// <summary>A planned mid-shift maintenance start, in machine (production) time.</summary>
    public DateTimeOffset? PlannedAt { get; set; }

    /// <summary>One minute of production time: the machine runs, and its running readings are stored.</summary>
    public void ProductionMinute()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        Model.Tick();
        _productionMinutes++;
        _record.ProductionHours += 1 / 60.0;
        switch (Model.State)
        {
            case MachineState.Down when _wearDown:
                WearDownHours += 1 / 60.0;
                break;
            case MachineState.Down:
                StoppageDownHours += 1 / 60.0;
                break;
            case MachineState.Idle when Model.InMaintenance:
                MaintenanceHours += 1 / 60.0;
                break;
            case MachineState.Running:
                _runningMinutes++;
                var value = Convert.ToDouble(Model.Snapshot()[Indicator.Tag], System.Globalization.CultureInfo.InvariantCulture);
                _readings.Add(new IndicatorReading(Now, value));
                break;
        }
    }

    /// <summary>
    /// The current part's degradation from what the platform stores: from its own healthy start when its fitting is
    /// recorded (a renewal in the stored states or maintenance records), else from the kind's healthy level.
    /// </summary>
    public Degradation Degradation(RiskOptions options)
    {
        var fitted = Life().RenewedBefore(Now + 1);
        var readings = Readings(fitted ?? long.MinValue, long.MaxValue);
        return fitted is not null ? Learning.Risk.Degradation.Of(readings, Indicator, options)
            : _record.HealthyLevel is { } healthy ? Learning.Risk.Degradation.Of(readings, Indicator, options, healthy)
            : Learning.Risk.Degradation.None;
    }

    /// <summary>Maintenance now, for <paramref name="duration"/> of production time (zero outside the shifts); false while down.</summary>
    public bool Maintain(TimeSpan duration)
    {
        _wearAt = Model.Wear?.Level ?? 0;
        var hours = RunningHoursSinceRenewal;
        if (!Model.Maintain(duration))
        {
            return false;
        }

        MaintenanceStops++;
        StopsInShift += duration > TimeSpan.Zero ? 1 : 0;
        Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} maintained at wear {_wearAt:0.00} ({hours:0} running h){(duration > TimeSpan.Zero ? " in shift" : "")}"));
        Record(duration > TimeSpan.Zero ? "planned maintenance within the shift" : "planned maintenance after the shift");
        return true;
    }

    /// <summary>True once, at the first production minute of a down spell: the moment the crew comes for the repair.</summary>
    public bool TakeDownStart()
    {
        var started = _downStarted && Model.State == MachineState.Down;
        _downStarted = false;
        return started;
    }

    /// <summary>The part renewed during the current repair, the renewal taking <paramref name="duration"/>; false when the simulator refuses (docs/wear-model.md).</summary>
    public bool MaintainDuringRepair(TimeSpan duration)
    {
        _wearAt = Model.Wear?.Level ?? 0;
        var hours = RunningHoursSinceRenewal;
        if (!Model.MaintainDuringRepair(duration))
        {
            return false;
        }

        RenewalsAtRepairs++;
        Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} renewed during a repair at wear {_wearAt:0.00} ({hours:0} running h)"));
        Record("part renewed during the repair of a stoppage");
        return true;
    }

    public long Units() => Model.Snapshot().TryGetValue(Kind switch
    {
        MachineKind.Cnc => "part_count",
        MachineKind.InjectionMoulding => "shot_count",
        MachineKind.SandPrinter => "build_count",
        _ => "",
    }, out var units) ? (long)units : 0;

    private long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private bool _downStarted;

    /// <summary>What the platform's risk estimate makes of the stored states and maintenance records (MachineLife, its rules).</summary>
    private MachineLife Life() => MachineLife.Of(_intervals, _book.Records(_id, Clock), long.MinValue, Now, MachineRisk.BreakdownAtLeast);

    /// <summary>
    /// The running readings after <paramref name="after"/> up to <paramref name="until"/>. After, not at: the free window
    /// after a shift takes no machine time here, so maintenance done there shares its time with the shift's last reading,
    /// which the old part made.
    /// </summary>
    private List<IndicatorReading> Readings(long after, long until)
    {
        // Stored in time order: find the first after the renewal by halving.
        var (low, high) = (0, _readings.Count);
        while (low < high)
        {
            var mid = (low + high) / 2;
            (low, high) = _readings[mid].AtMs > after ? (low, mid) : (mid + 1, high);
        }

        var readings = new List<IndicatorReading>();
        for (var i = low; i < _readings.Count && _readings[i].AtMs <= until; i++)
        {
            readings.Add(_readings[i]);
        }

        return readings;
    }

    /// <summary>The crew's record through the platform's service; the part leaving service tells its healthy level if its fitting is on record.</summary>
    private void Record(string note)
    {
        var life = Life();
        if (life.RenewedBefore(Now + 1) is { } fitted
            && Learning.Risk.Degradation.Of(Readings(fitted, Now), Indicator, new RiskOptions()) is { Known: true } part)
        {
            _record.Healthy.Add(part.Baseline);
        }

        _book.Record(_id, Clock, note);
        _part++;
        PlannedAt = null;
    }

    private void OnStateChanged(SimulatedMachine machine, MachineState from, MachineState to)
    {
        // The state tracker's intervals: the open one ends where the next begins.
        _intervals[^1].EndAt = Now;
        _intervals.Add(new StateIntervalRow { Id = _intervals.Count + 1, MachineId = _id, State = StateName(to), StartAt = Now });
        if (to == MachineState.Down)
        {
            // The report's truth (which breakdowns wear caused) comes from the model; the predictor does not see it.
            _wearDown = machine.Wear!.Failures > _wearFailuresSeen;
            _wearFailuresSeen = machine.Wear.Failures;
            if (_wearDown)
            {
                WearBreakdowns++;
                Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} failed ({RunningHoursSinceRenewal:0} running h)"));
            }
            else
            {
                Stoppages++;
            }

            _downStarted = true;
        }
        else if (from == MachineState.Down)
        {
            Repaired(_intervals[^2]);
            _wearDown = false;
        }
    }

    /// <summary>
    /// A down spell ended: what the platform learns from it, by its own rules (MachineLife): a spell it takes for a
    /// breakdown renewed the part at the repair's end; the part's excess at failure and its life teach when its fitting
    /// is on record. A spell the machine started in has no known start, so its length teaches nothing.
    /// </summary>
    private void Repaired(StateIntervalRow down)
    {
        var seen = down.Id > 1;
        var hours = (down.EndAt!.Value - down.StartAt) / 3_600_000.0;
        if (seen)
        {
            _record.DownSpellHours.Add(hours);
        }

        var life = Life();
        if (!life.Breakdowns.Contains((down.StartAt, down.EndAt.Value)))
        {
            return;
        }

        if (seen)
        {
            _record.RepairHours.Add(hours);
        }

        if (life.RenewedBefore(down.StartAt) is { } fitted)
        {
            var part = Learning.Risk.Degradation.Of(Readings(fitted, down.StartAt), Indicator, new RiskOptions());
            if (part.Known)
            {
                _record.Failures.Add(part.Excess);
                _record.Healthy.Add(part.Baseline);
            }

            if (seen)
            {
                _record.LifeHours.Add((down.StartAt - fitted) / 3_600_000.0);
            }
        }

        Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} renewed by a repair of {hours:0.0} h"));
        _part++;
        PlannedAt = null;
    }

    private static string StateName(MachineState state) => state switch
    {
        MachineState.Running => MachineStateNames.Running,
        MachineState.Idle => MachineStateNames.Idle,
        MachineState.Setup => MachineStateNames.Setup,
        _ => MachineStateNames.Down,
    };

    /// <summary>The indicator, wear alarm and nominal life a maintainer configures per kind (docs/wear-model.md).</summary>
    private static (DegradationIndicator, int, double) Known(MachineKind kind) => kind switch
    {
        MachineKind.Cnc => (new DegradationIndicator("vibration"), 6100, 160),
        MachineKind.InjectionMoulding => (new DegradationIndicator("injection_pressure", IndicatorStatistic.Spread, Above: 600), 510, 240),
        MachineKind.SandPrinter => (new DegradationIndicator("clogged_nozzles"), 801, 120),
        MachineKind.Construction => (new DegradationIndicator("hydraulic_pressure", Direction: -1), 1762, 200),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no wearing part"),
    };
}
