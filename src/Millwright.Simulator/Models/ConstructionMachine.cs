using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// An excavator on a job site: while running it drives between waypoints within a few hundred metres of
/// the site; the engine runs (and engine hours count) while running or idling; setup is a parked spell
/// in which it is refuelled when low; down is a fault with the engine off.
/// </summary>
internal sealed class ConstructionMachine : SimulatedMachine
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(50)),
        Idle: (TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(15)),
        Setup: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(10),
        Repair: (TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(120)),
        // J1939-style suspect parameter numbers: coolant temperature, hydraulic pressure, fuel pressure, DPF.
        AlarmCodes: [110, 1762, 94, 3251])
    {
        SetupAfterRun = 0.25,
        // The hydraulic pump: internal leakage lowers the working pressure until the pump fails (1762, hydraulic pressure).
        Wear = new WearProfile(TimeSpan.FromHours(200), (TimeSpan.FromHours(6), TimeSpan.FromHours(10)), AlarmCode: 1762),
    };

    private const double MetresPerDegreeLatitude = 111_320;
    private const double SiteRadiusMetres = 300;
    private readonly double _siteLatitude;
    private readonly double _siteLongitude;
    private double _north;
    private double _east;
    private (double North, double East) _waypoint;
    private double _speed;
    private double _engineHours;
    private double _fuel;

    public ConstructionMachine(string name, int seed, TimeProvider time, double siteLatitude, double siteLongitude)
        : base(name, seed, time, Cycle)
    {
        _siteLatitude = siteLatitude;
        _siteLongitude = siteLongitude;
        _fuel = Random.Next(40, 100);
        _waypoint = NewWaypoint();
    }

    public override MachineTypeDefinition Definition => MachineCatalog.Construction;

    public bool EngineRunning => State is MachineState.Running or MachineState.Idle;

    /// <summary>An excavator digs where it is told on site; it makes no units the platform could dispatch.</summary>
    protected override bool CanTakeJobs => false;

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup && _fuel < 30)
        {
            _fuel = 100;
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        var seconds = slice.TotalSeconds;
        _speed = 0;
        if (EngineRunning)
        {
            _engineHours += slice.TotalHours;

            // About 15 l/h working and 4 l/h idling from a 400 l tank.
            _fuel = Math.Max(0, _fuel - ((State == MachineState.Running ? 15 : 4) / 400.0 * 100 * slice.TotalHours));
        }

        if (State == MachineState.Running)
        {
            _speed = Noisy(6, 3, 0, 12);
            var (dn, de) = (_waypoint.North - _north, _waypoint.East - _east);
            var distance = Math.Sqrt((dn * dn) + (de * de));
            var step = _speed / 3.6 * seconds;
            if (distance <= step)
            {
                (_north, _east) = _waypoint;
                _waypoint = NewWaypoint();
            }
            else
            {
                _north += dn / distance * step;
                _east += de / distance * step;
            }

            if (_fuel < 10)
            {
                // Low fuel: the operator parks it for the bowser rather than running dry.
                EndStateNow();
            }
        }
    }

    protected override void Report(IDictionary<string, object> values)
    {
        var latitude = _siteLatitude + (_north / MetresPerDegreeLatitude);
        var longitude = _siteLongitude + (_east / (MetresPerDegreeLatitude * Math.Cos(_siteLatitude * Math.PI / 180)));
        values["latitude"] = Math.Round(latitude, 6);
        values["longitude"] = Math.Round(longitude, 6);
        values["engine_hours"] = Math.Round(_engineHours, 3, MidpointRounding.ToZero);
        values["fuel_level"] = Math.Round(_fuel, 2);
        values["fault_code"] = (long)AlarmCode;
        values["speed"] = Math.Round(_speed, 2);
        values["engine_running"] = EngineRunning;
        values["hydraulic_pressure"] = Math.Round(EngineRunning ? Wear!.Indicator(320, -60, 4, 0, 400) : Wear!.Indicator(0, 0, 0, 0, 400), 1);
    }

    private (double, double) NewWaypoint()
    {
        var angle = Random.NextDouble() * 2 * Math.PI;
        var radius = SiteRadiusMetres * Math.Sqrt(Random.NextDouble());
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}
