namespace Millwright.Simulator.Models;

/// <summary>
/// An embroidery machine: stitches at the design's speed while running; thread breaks and colour changes
/// happen per stitch sewn, so they too only count up while running. Each piece sewn (one design on one
/// garment or patch) counts in design_count, the unit of a job; a few come out puckered or misregistered.
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

    public EmbroideryMachine(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle) => NewDesign();

    public override MachineTypeDefinition Definition => MachineCatalog.Embroidery;

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup)
        {
            NewDesign();
            if (Job is { } job)
            {
                _designTime = job.Unit;
            }
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        if (State != MachineState.Running)
        {
            _speed = 0;
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
            _designs++;
            var scrap = Random.NextDouble() < ScrapRate;
            if (scrap)
            {
                _scrap++;
            }

            UnitMade(scrap);
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
