using Millwright.Embroidery.Stitches;
using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// An embroidery machine: stitches at the design's speed while running; thread breaks and colour changes
/// happen per stitch sewn, so they too only count up while running. Each piece sewn (one design on one
/// garment or patch) counts in design_count, the unit of a job; a few come out puckered or misregistered.
/// A job whose command named a design sews that design's stitch file (<see cref="DesignRun"/>): its time comes
/// from its stitches, trims and colour changes at the machine's <see cref="Pace"/>, not from the job's unit time.
/// </summary>
internal sealed class EmbroideryMachine : SimulatedMachine
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(40)),
        Idle: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(6)),
        Setup: (TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(12)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(5),
        Repair: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)),
        // Hook timing error, needle bar position, frame drive fault, main motor overload.
        AlarmCodes: [11, 23, 36, 41]);

    // One break every ~40,000 stitches and a colour change every ~8,000: an ordinary multi-colour design.
    private const double BreaksPerStitch = 1.0 / 40_000;
    private const double ChangesPerStitch = 1.0 / 8_000;
    private const double ScrapRate = 0.015;
    private double _designSpeed;
    private TimeSpan _designTime;
    private TimeSpan _inDesign;
    private long _designs;
    private long _scrap;
    private double _speed;
    private double _stitches;
    private long _breaks;
    private long _changes;
    private DesignRun? _run;

    public EmbroideryMachine(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle) => NewDesign();

    public override MachineTypeDefinition Definition => MachineCatalog.Embroidery;

    public override bool SewsDesigns => true;

    /// <summary>How designs sent with jobs are sewn.</summary>
    public EmbroideryPace Pace { get; set; } = EmbroideryPace.Default;

    /// <summary>Threads broken so far (each stopped the machine for a rethread).</summary>
    public long Breaks => _breaks;

    /// <summary>The design being sewn for the job held, if its command named one.</summary>
    public DesignRun? Run => _run;

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup)
        {
            NewDesign();
            if (Job is { } job)
            {
                _designTime = job.Unit;
                _run = job.Stitches is { } pattern ? new DesignRun(pattern, Pace, job.Needles) : null;
            }
        }
        else if (state == MachineState.Idle)
        {
            _run = null;
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        if (State != MachineState.Running)
        {
            _speed = 0;
            return;
        }

        if (_run is { } run)
        {
            SewDesign(run, slice);
            return;
        }

        _speed = Noisy(_designSpeed, 40, 0, 1500);
        var sewn = _speed / 60 * slice.TotalSeconds;
        _stitches += sewn;
        if (Random.NextDouble() < sewn * BreaksPerStitch)
        {
            _breaks++;
        }

        if (Random.NextDouble() < sewn * ChangesPerStitch)
        {
            _changes++;
        }

        _inDesign += slice;

        // A loop, not an if: a job's unit time may be shorter than a slice.
        while (_inDesign >= _designTime && State == MachineState.Running)
        {
            _inDesign -= _designTime;
            PieceDone();
        }
    }

    protected override void Report(IDictionary<string, object> values)
    {
        values["stitch_count"] = (long)_stitches;
        values["thread_breaks"] = _breaks;
        values["colour_changes"] = _changes;
        values["speed"] = Math.Round(_speed, 1);
        values["design_count"] = _designs;
        values["scrap_count"] = _scrap;
        values["running"] = State == MachineState.Running;
        values["alarm_code"] = (long)AlarmCode;
        values["design_stitch"] = _run?.PieceStitches ?? 0L;
        values["needle"] = (long)(_run?.Needle ?? 0);
        values["needle_x"] = Math.Round((_run?.X ?? 0) / 10.0, 1);
        values["needle_y"] = Math.Round((_run?.Y ?? 0) / 10.0, 1);
    }

    private void SewDesign(DesignRun run, TimeSpan slice)
    {
        var sewn = 0L;
        var given = slice.TotalSeconds;
        do
        {
            var step = run.Sew(given, Random);
            given = 0;
            sewn += step.Stitches;
            _breaks += step.Breaks;
            _changes += step.ColourChanges;
            if (step.Pieces > 0)
            {
                // The last piece of the job leaves the machine idle (and the run dropped) right here.
                PieceDone();
            }
        }
        while (State == MachineState.Running && _run == run && run.HasTime);

        _stitches += sewn;
        _speed = Math.Min(1500, sewn * 60 / slice.TotalSeconds);
    }

    private void PieceDone()
    {
        _designs++;
        var scrap = Random.NextDouble() < ScrapRate;
        if (scrap)
        {
            _scrap++;
        }

        UnitMade(scrap);
    }

    // A design of a few thousand to some 15,000 stitches: two to ten minutes of sewing.
    private void NewDesign()
    {
        _designSpeed = Random.Next(600, 1200);
        // The machine's own stock designs, when the platform gives it no job: 1.5 to 2.5 minutes of stitching.
        _designTime = TimeSpan.FromSeconds(Random.Next(90, 150));
        _inDesign = TimeSpan.Zero;
    }
}
