using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// A CNC machining centre: each program has a spindle speed and a cycle time; a part is counted at the end of
/// each cycle, a small share of them as scrap (part_count counts every part made, good or not).
/// </summary>
internal sealed class CncMachine : SimulatedMachine
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(60)),
        Idle: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(8)),
        Setup: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(6),
        Repair: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(45)),
        // Spindle overload, coolant low, servo alarm on an axis, tool breakage detected, door interlock.
        AlarmCodes: [1010, 2040, 3001, 4100, 5200])
    {
        // The spindle bearings: vibration and spindle temperature creep up as they wear; a seized bearing is 6100.
        Wear = new WearProfile(TimeSpan.FromHours(160), (TimeSpan.FromHours(6), TimeSpan.FromHours(12)), AlarmCode: 6100),
    };

    private const double ScrapRate = 0.02;
    private double _targetSpeed;
    private TimeSpan _cycleTime;
    private TimeSpan _inCycle;
    private double _speed;
    private double _load;
    private double _energy;
    private long _parts;
    private long _scrap;
    private string _program = "";
    private double _spindleTemperature = 26;
    private double _vibration;

    public CncMachine(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle) => NewProgram();

    public override MachineTypeDefinition Definition => MachineCatalog.Cnc;

    public double Power { get; private set; }

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup)
        {
            NewProgram();
            if (Job is { } job)
            {
                // The platform's program and planned cycle time replace the machine's own choice. A program's NC code
                // fixes its spindle speed, so the same program runs at the same speed at every set-up.
                if (job.Program.Length > 0)
                {
                    _program = job.Program;
                    _targetSpeed = SpeedOf(job.Program);
                }

                _cycleTime = job.Unit;
            }
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        switch (State)
        {
            case MachineState.Running:
                _speed = Noisy(_targetSpeed, 150, 0, 24000);
                _load = Noisy(55, 25, 5, 100);
                Power = 3 + (30 * _load / 100);
                _inCycle += slice;

                // A loop, not an if: a job's unit time may be shorter than a slice.
                while (_inCycle >= _cycleTime && State == MachineState.Running)
                {
                    _inCycle -= _cycleTime;
                    _parts++;
                    var scrap = Random.NextDouble() < ScrapRate;
                    if (scrap)
                    {
                        _scrap++;
                    }

                    UnitMade(scrap);
                }

                break;
            case MachineState.Setup:
                // Tool changes and probing: the spindle turns now and then at low speed.
                _speed = Random.NextDouble() < 0.2 ? Noisy(500, 200, 0, 24000) : 0;
                _load = _speed > 0 ? Noisy(5, 3, 0, 100) : 0;
                Power = 2.5 + (_speed > 0 ? 1 : 0);
                break;
            default:
                _speed = 0;
                _load = 0;
                Power = State == MachineState.Idle ? 2.5 : 0.8;
                break;
        }

        _energy += Power * slice.TotalHours;

        // The spindle warms towards a target that worn bearings raise, with a time constant of ten minutes.
        var worn = Wear!.Level * Wear.Level;
        var target = State switch
        {
            MachineState.Running => 38 + (14 * worn),
            MachineState.Setup or MachineState.Idle => 27,
            _ => 22,
        };
        _spindleTemperature += (target - _spindleTemperature) * Math.Min(1, slice.TotalSeconds / 600);
    }

    protected override void Report(IDictionary<string, object> values)
    {
        values["spindle_speed"] = Math.Round(_speed, 1);
        values["spindle_load"] = Math.Round(_load, 1);
        _vibration = _speed > 0 ? Wear!.Indicator(1.2, 4.5, 0.3, 0, 50) : Wear!.Indicator(0.05, 0, 0.05, 0, 50);
        values["vibration"] = Math.Round(_vibration, 2);
        values["spindle_temperature"] = Math.Round(Wear.Indicator(_spindleTemperature, 0, 0.6, 0, 120), 1);
        values["power"] = Math.Round(Power, 2);
        values["energy"] = Math.Round(_energy, 3, MidpointRounding.ToZero);
        values["part_count"] = _parts;
        values["scrap_count"] = _scrap;
        values["program"] = _program;
        values["alarm_code"] = (long)AlarmCode;
    }

    /// <summary>4,000-18,000 rpm in steps of 1,000, from the program's name (FNV-1a: the same in every process, unlike string.GetHashCode).</summary>
    private static double SpeedOf(string program)
    {
        var hash = 2166136261u;
        foreach (var c in program)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return 4000 + (hash % 15 * 1000);
    }

    private void NewProgram()
    {
        _program = $"O{Random.Next(1000, 9999)}";
        _targetSpeed = 4000 + (Random.Next(0, 15) * 1000);
        _cycleTime = TimeSpan.FromSeconds(Random.Next(45, 240));
        _inCycle = TimeSpan.Zero;
    }
}
