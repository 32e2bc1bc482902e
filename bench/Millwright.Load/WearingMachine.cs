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
    private readonly List<IndicatorReading> _sinceRenewal = [];
    private readonly KindRecord _record;
    private bool _fittingRecorded;
    private bool _wearDown;
    private long _downSince;
    private bool _downSeen;
    private Degradation _atDown = Learning.Risk.Degradation.None;
    private long _runningMinutes;
    private long _productionMinutes;
    private long _partProductionMinutes;
    private double _lifeAtDown;
    private bool _downStarted;

    public WearingMachine(MachineKind kind, int seed, DateTimeOffset start, KindRecord record)
    {
        Kind = kind;
        Clock = new SteppedClock(start);
        Model = MachineFactory.Create(kind, $"{kind}-{seed}", seed, Clock);
        (Indicator, WearAlarm, NominalLifeHours) = Known(kind);
        _record = record;
        Model.StateChanged += OnStateChanged;
    }

    public MachineKind Kind { get; }

    public SteppedClock Clock { get; }

    public SimulatedMachine Model { get; }

    public DegradationIndicator Indicator { get; }

    /// <summary>The alarm code the kind's wear failure raises (shared with some random stoppages, so not what the predictor goes by).</summary>
    public int WearAlarm { get; }

    /// <summary>The part's nominal life in running hours, the maker's figure a fixed interval is set from.</summary>
    public double NominalLifeHours { get; }

    public double RunningHoursSinceRenewal { get; private set; }

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

    /// <summary>A planned mid-shift maintenance start, in machine (production) time.</summary>
    public DateTimeOffset? PlannedAt { get; set; }

    /// <summary>One minute of production time: the machine runs, and its running readings are stored.</summary>
    public void ProductionMinute()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        Model.Tick();
        _productionMinutes++;
        _partProductionMinutes++;
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
                RunningHoursSinceRenewal += 1 / 60.0;
                var value = Convert.ToDouble(Model.Snapshot()[Indicator.Tag], System.Globalization.CultureInfo.InvariantCulture);
                _sinceRenewal.Add(new IndicatorReading(Clock.GetUtcNow().ToUnixTimeMilliseconds(), value));
                break;
        }
    }

    /// <summary>The current part's degradation: from its own healthy start when its fitting is recorded, else from the kind's healthy level.</summary>
    public Degradation Degradation(RiskOptions options) =>
        _fittingRecorded ? Learning.Risk.Degradation.Of(_sinceRenewal, Indicator, options)
        : _record.HealthyLevel is { } healthy ? Learning.Risk.Degradation.Of(_sinceRenewal, Indicator, options, healthy)
        : Learning.Risk.Degradation.None;

    /// <summary>Maintenance now, for <paramref name="duration"/> of production time (zero outside the shifts); false while down.</summary>
    public bool Maintain(TimeSpan duration)
    {
        _wearAt = Model.Wear?.Level ?? 0;
        if (!Model.Maintain(duration))
        {
            return false;
        }

        MaintenanceStops++;
        StopsInShift += duration > TimeSpan.Zero ? 1 : 0;
        Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} maintained at wear {_wearAt:0.00} ({RunningHoursSinceRenewal:0} running h){(duration > TimeSpan.Zero ? " in shift" : "")}"));
        PlannedAt = null;
        Renewed();
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
        if (!Model.MaintainDuringRepair(duration))
        {
            return false;
        }

        RenewalsAtRepairs++;
        Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} renewed during a repair at wear {_wearAt:0.00} ({RunningHoursSinceRenewal:0} running h)"));
        PlannedAt = null;
        Renewed();
        return true;
    }

    public long Units() => Model.Snapshot().TryGetValue(Kind switch
    {
        MachineKind.Cnc => "part_count",
        MachineKind.InjectionMoulding => "shot_count",
        MachineKind.SandPrinter => "build_count",
        _ => "",
    }, out var units) ? (long)units : 0;

    private void OnStateChanged(SimulatedMachine machine, MachineState from, MachineState to)
    {
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

            _downSince = Clock.GetUtcNow().ToUnixTimeMilliseconds();
            _downSeen = true;
            _downStarted = true;
            _atDown = Degradation(new RiskOptions());
            _lifeAtDown = _partProductionMinutes / 60.0;
        }
        else if (from == MachineState.Down)
        {
            // What the platform can tell: a down spell of at least 2.5 h was a breakdown whose repair fitted a new part
            // (docs/predictive-maintenance.md). A part that failed before its baseline was known teaches nothing.
            var downMs = Clock.GetUtcNow().ToUnixTimeMilliseconds() - _downSince;
            if (downMs >= BreakdownAtLeast.TotalMilliseconds)
            {
                if (_downSeen)
                {
                    // A machine that starts down has no start to its spell: its repair time is unknown.
                    _record.RepairHours.Add(downMs / 3_600_000.0);
                }

                if (_atDown.Known && _fittingRecorded)
                {
                    _record.Failures.Add(_atDown.Excess);
                }

                if (_fittingRecorded && _downSeen)
                {
                    _record.LifeHours.Add(_lifeAtDown);
                }

                Trace.Add(System.FormattableString.Invariant($"{Clock.GetUtcNow():MM-dd HH:mm} part {_part} renewed by a repair of {downMs / 3_600_000.0:0.0} h"));
                PlannedAt = null;
                Renewed();
            }

            if (_downSeen)
            {
                _record.DownSpellHours.Add(downMs / 3_600_000.0);
            }

            _wearDown = false;
        }
    }

    private static readonly TimeSpan BreakdownAtLeast = TimeSpan.FromHours(2.5);
    private int _wearFailuresSeen;
    private double _wearAt;

    private void Renewed()
    {
        // The part leaving service tells its healthy level if it was seen from its fitting.
        if (_fittingRecorded && Degradation(new RiskOptions()) is { Known: true } part)
        {
            _record.Healthy.Add(part.Baseline);
        }

        _fittingRecorded = true;
        _part++;
        _sinceRenewal.Clear();
        RunningHoursSinceRenewal = 0;
        _partProductionMinutes = 0;
    }

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
