using Millwright.Sparkplug;

namespace Millwright.Simulator.Fleet;

/// <summary>
/// One simulated fleet machine. It stands parked at its depot, drives in a straight line at road speed to one of
/// the job sites near the depot, works there in cycles of working (loads moved, high load factor) and idling, and
/// after its stay drives on to another site or home. Counters only grow: engine, idle and PTO hours, fuel used,
/// odometer, loads and payload. Fuel is topped up below 15 %. Now and then a J1939 fault (SPN/FMI) shows for a while.
/// </summary>
internal sealed class FleetUnit
{
    private const double RoadSpeedKmh = 45;

    // J1939 suspect parameters: coolant temperature, hydraulic oil temperature, fuel delivery pressure, DEF tank level.
    private static readonly (int Spn, int Fmi, int Severity)[] Faults = [(110, 0, 3), (1638, 16, 2), (94, 18, 2), (1761, 17, 1)];

    private readonly Random _random;
    private readonly FleetLayout _layout;
    private readonly (double Latitude, double Longitude) _depot;
    private readonly double _tankLitres;
    private (double Latitude, double Longitude) _position;
    private (double Latitude, double Longitude) _destination;
    private FleetPhase _phase = FleetPhase.Parked;
    private DateTimeOffset _phaseEnds;
    private DateTimeOffset _stayEnds;
    private DateTimeOffset _faultEnds;
    private DateTimeOffset _last;
    private double _engineHours, _idleHours, _ptoHours, _fuelUsed, _fuelLevel, _defLevel, _odometer, _payload, _loadFactor;
    private long _loads;
    private double _cyclesDue;
    private (int Spn, int Fmi, int Severity) _fault;

    public FleetUnit(string name, int depot, int seed, FleetLayout layout, DateTimeOffset now)
    {
        Name = name;
        _random = new Random(seed);
        _layout = layout;
        Depot = depot;
        _depot = layout.Depots[depot];
        _position = _depot;
        _destination = _depot;
        _tankLitres = 150 + (_random.Next(0, 6) * 50);
        _fuelLevel = _random.Next(40, 100);
        _defLevel = _random.Next(40, 100);
        _engineHours = _random.Next(0, 8000) + Math.Round(_random.NextDouble(), 2);
        _idleHours = _engineHours * 0.3;
        _last = now;
        // Spread the first departures over the first hour, so the fleet does not move in step.
        _phaseEnds = now + TimeSpan.FromMinutes(_random.NextDouble() * 60);
    }

    public string Name { get; }

    public int Depot { get; }

    public FleetPhase Phase => _phase;

    public bool EngineRunning => _phase is FleetPhase.Travelling or FleetPhase.Working or FleetPhase.Idle;

    /// <summary>Moves the machine on to <paramref name="now"/>, phase by phase.</summary>
    public void Advance(DateTimeOffset now)
    {
        while (_last < now)
        {
            var until = _phaseEnds < now ? _phaseEnds : now;
            Accumulate(until - _last);
            _last = until;
            if (_last >= _phaseEnds)
            {
                NextPhase();
            }
        }

        if (_fault.Spn != 0 && now >= _faultEnds)
        {
            _fault = default;
        }
    }

    /// <summary>The AEMP tags of docs/fleet.md, typed for Sparkplug.</summary>
    public IEnumerable<SparkplugMetricValue> Metrics(DateTimeOffset at)
    {
        yield return new("latitude", SparkplugDataType.Double, Math.Round(_position.Latitude, 6), at);
        yield return new("longitude", SparkplugDataType.Double, Math.Round(_position.Longitude, 6), at);
        yield return new("engine_hours", SparkplugDataType.Double, Math.Round(_engineHours, 3), at);
        yield return new("idle_hours", SparkplugDataType.Double, Math.Round(_idleHours, 3), at);
        yield return new("fuel_used", SparkplugDataType.Double, Math.Round(_fuelUsed, 2), at);
        yield return new("fuel_level", SparkplugDataType.Double, Math.Round(_fuelLevel, 1), at);
        yield return new("def_level", SparkplugDataType.Double, Math.Round(_defLevel, 1), at);
        yield return new("engine_running", SparkplugDataType.Boolean, EngineRunning, at);
        yield return new("odometer", SparkplugDataType.Double, Math.Round(_odometer, 2), at);
        yield return new("load_count", SparkplugDataType.Int64, _loads, at);
        yield return new("payload_total", SparkplugDataType.Double, Math.Round(_payload, 1), at);
        yield return new("load_factor", SparkplugDataType.Double, Math.Round(_phase == FleetPhase.Working ? _loadFactor : _phase == FleetPhase.Idle ? 12 : 0, 1), at);
        yield return new("pto_hours", SparkplugDataType.Double, Math.Round(_ptoHours, 3), at);
        yield return new("fault_code", SparkplugDataType.Int64, (long)_fault.Spn, at);
        yield return new("fault_fmi", SparkplugDataType.Int64, (long)_fault.Fmi, at);
        yield return new("fault_severity", SparkplugDataType.Int64, (long)_fault.Severity, at);
    }

    private void Accumulate(TimeSpan span)
    {
        var hours = span.TotalHours;
        if (hours <= 0)
        {
            return;
        }

        var litresPerHour = _phase switch { FleetPhase.Working => 18.0, FleetPhase.Travelling => 12.0, FleetPhase.Idle => 4.0, _ => 0.0 };
        if (EngineRunning)
        {
            _engineHours += hours;
            _fuelUsed += litresPerHour * hours;
            _fuelLevel -= litresPerHour * hours / _tankLitres * 100;
            _defLevel = Math.Max(0, _defLevel - (litresPerHour * hours * 0.05 / 40 * 100));
        }

        switch (_phase)
        {
            case FleetPhase.Idle:
                _idleHours += hours;
                break;
            case FleetPhase.Working:
                _ptoHours += hours * 0.6;
                // A load cycle a minute or so, 2 to 5 tonnes each; a report interval holds part of one, so fractions carry over.
                _cyclesDue += hours * 60 * (0.8 + (_random.NextDouble() * 0.4));
                var cycles = (int)_cyclesDue;
                _cyclesDue -= cycles;
                _loads += cycles;
                _payload += cycles * (2 + (_random.NextDouble() * 3));
                break;
            case FleetPhase.Travelling:
                var km = RoadSpeedKmh * hours;
                _position = FleetGeometry.Towards(_position, _destination, km);
                _odometer += km;
                break;
        }

        if (_fuelLevel < 15)
        {
            // The bowser comes round: topped up where it stands.
            _fuelLevel = 100;
            _defLevel = 100;
        }

        // About one fault every 200 engine hours.
        if (EngineRunning && _fault.Spn == 0 && _random.NextDouble() < hours / 200)
        {
            _fault = Faults[_random.Next(Faults.Length)];
            _faultEnds = _last + span + TimeSpan.FromMinutes(30 + _random.Next(0, 240));
        }
    }

    private void NextPhase()
    {
        var now = _last;
        switch (_phase)
        {
            case FleetPhase.Parked:
                Depart(now, _layout.Sites[_layout.NearSitesOfDepot[Depot][_random.Next(FleetLayout.NearSites)]]);
                _stayEnds = DateTimeOffset.MaxValue;
                break;
            case FleetPhase.Travelling:
                _position = _destination;
                if (_destination == _depot)
                {
                    Enter(FleetPhase.Parked, now, TimeSpan.FromHours(2 + (_random.NextDouble() * 22)));
                }
                else
                {
                    _stayEnds = now + TimeSpan.FromHours(4 + (_random.NextDouble() * 44));
                    StartWork(now);
                }

                break;
            case FleetPhase.Working or FleetPhase.Idle when now >= _stayEnds:
                // Stay over: on to another near site, or home to the depot.
                Depart(now, _random.NextDouble() < 0.5 ? _depot : _layout.Sites[_layout.NearSitesOfDepot[Depot][_random.Next(FleetLayout.NearSites)]]);
                break;
            case FleetPhase.Working:
                Enter(FleetPhase.Idle, now, TimeSpan.FromMinutes(2 + (_random.NextDouble() * 20)));
                break;
            default:
                StartWork(now);
                break;
        }
    }

    private void StartWork(DateTimeOffset now)
    {
        _loadFactor = 55 + (_random.NextDouble() * 40);
        Enter(FleetPhase.Working, now, TimeSpan.FromMinutes(10 + (_random.NextDouble() * 80)));
    }

    private void Depart(DateTimeOffset now, (double Latitude, double Longitude) to)
    {
        _destination = to;
        var hours = FleetGeometry.Kilometres(_position, to) / RoadSpeedKmh;
        Enter(FleetPhase.Travelling, now, TimeSpan.FromHours(Math.Max(hours, 1.0 / 60)));
    }

    private void Enter(FleetPhase phase, DateTimeOffset now, TimeSpan length)
    {
        _phase = phase;
        _phaseEnds = now + length;
    }
}
