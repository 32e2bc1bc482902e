using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// An injection moulding machine: one shot per cycle at the mould's nominal cycle time; the barrel heaters
/// hold the melt temperature while idle and let it cool when the machine is down.
/// </summary>
internal sealed class InjectionMouldingMachine : SimulatedMachine
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(90)),
        Idle: (TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)),
        Setup: (TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(45)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(8),
        Repair: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(60)),
        // Barrel heater zone fault, hydraulic oil overtemperature, mould protection, ejector fault.
        AlarmCodes: [110, 240, 310, 420])
    {
        SetupAfterRun = 0.2,
        // The screw's check ring: as it wears, melt leaks back and the injection pressure varies from shot to shot; 510 when it fails.
        Wear = new WearProfile(TimeSpan.FromHours(240), (TimeSpan.FromHours(4), TimeSpan.FromHours(8)), AlarmCode: 510),
    };

    private const double Ambient = 25;
    private const double ScrapRate = 0.03;
    private double _nominalCycle;
    private double _setpoint;
    private double _cycleTime;
    private double _inCycle;
    private double _melt = Ambient;
    private double _pressure;
    private double _energy;
    private long _shots;
    private long _scrap;

    public InjectionMouldingMachine(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle)
    {
        NewMould();
        _melt = State == MachineState.Setup ? Ambient : _setpoint;
    }

    public override MachineTypeDefinition Definition => MachineCatalog.InjectionMoulding;

    public double Power { get; private set; }

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup)
        {
            NewMould();
            if (Job is { } job)
            {
                // The planned time per unit is the mould's cycle; the machine's noise stays small around it.
                _nominalCycle = job.Unit.TotalSeconds;
                _cycleTime = _nominalCycle;
            }
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        var seconds = slice.TotalSeconds;
        switch (State)
        {
            case MachineState.Running:
                Approach(_setpoint, seconds);
                _inCycle += seconds;
                // Injection and holding take the first third of the cycle; the rest is cooling and ejection.
                _pressure = _inCycle < _nominalCycle / 3 ? Noisy(1200, 80 * Wear!.SpreadFactor(5), 0, 2500) : Noisy(30, 10, 0, 2500);
                Power = Noisy(_inCycle < _nominalCycle / 3 ? 85 : 40, 6, 0, 150);

                // A loop, not an if: a job's unit time may be shorter than a slice.
                while (_inCycle >= _cycleTime && State == MachineState.Running)
                {
                    _inCycle -= _cycleTime;
                    _shots++;
                    var scrap = Random.NextDouble() < ScrapRate;
                    if (scrap)
                    {
                        _scrap++;
                    }

                    // Each shot takes a little more or less than the nominal cycle (3 %, or 1.5 s on its own moulds).
                    _cycleTime = Job is null ? Noisy(_nominalCycle, 1.5, 5, 120) : Noisy(_nominalCycle, _nominalCycle * 0.03, _nominalCycle * 0.9, _nominalCycle * 1.1);
                    UnitMade(scrap);
                }

                break;
            case MachineState.Idle or MachineState.Setup:
                Approach(State == MachineState.Idle ? _setpoint : _setpoint - 40, seconds);
                _pressure = 0;
                Power = Noisy(State == MachineState.Idle ? 15 : 10, 1, 0, 150);
                break;
            default:
                Approach(Ambient, seconds);
                _pressure = 0;
                Power = 2;
                break;
        }

        _energy += Power * slice.TotalHours;
    }

    protected override void Report(IDictionary<string, object> values)
    {
        values["cycle_time"] = Math.Round(_cycleTime, 2);
        values["melt_temperature"] = Math.Round(Math.Clamp(_melt + Noisy(0, 0.8, -2, 2), 0, 350), 1);
        values["injection_pressure"] = Math.Round(_pressure, 1);
        values["shot_count"] = _shots;
        values["scrap_count"] = _scrap;
        values["power"] = Math.Round(Power, 2);
        values["energy"] = Math.Round(_energy, 3, MidpointRounding.ToZero);
        values["alarm_code"] = (long)AlarmCode;
    }

    // First-order heating and cooling with a time constant of about five minutes.
    private void Approach(double target, double seconds) => _melt += (target - _melt) * Math.Min(1, seconds / 300);

    private void NewMould()
    {
        _nominalCycle = Random.Next(18, 60);
        _cycleTime = _nominalCycle;
        _setpoint = Random.Next(200, 290);
        _inCycle = 0;
    }
}
