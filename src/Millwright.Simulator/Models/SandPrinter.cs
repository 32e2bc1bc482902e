using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// A binder-jetting sand printer: a build is a fixed number of layers, one every ~20 s while running; the
/// binder drains per layer and is refilled during setup; a finished build ends the running spell. A finished
/// build (a job box of moulds and cores) counts in build_count, the unit of a job; under a job the printer
/// starts the next build straight away, with layers of about 20 s filling the job's unit time.
/// </summary>
internal sealed class SandPrinter : SimulatedMachine
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromHours(2), TimeSpan.FromHours(6)),
        Idle: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)),
        Setup: (TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(12),
        Repair: (TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(90)),
        // Print head clogged, recoater jam, binder pump fault, job box not locked.
        AlarmCodes: [801, 812, 830, 845])
    {
        SetupAfterRun = 0.5,
        RunAgain = 0.9,
        // The print head clogs: the share of nozzles that no longer jet (from the head's nozzle check) grows until it fails (801).
        Wear = new WearProfile(TimeSpan.FromHours(120), (TimeSpan.FromHours(3), TimeSpan.FromHours(6)), AlarmCode: 801),
    };

    /// <summary>
    /// The printer's own job boxes when the platform gives it no job: a program per box size, in layers. Their ideal
    /// cycle is the box at the fastest layer (<see cref="FastestLayerSeconds"/>), which is what the state rules say.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> StockBuilds = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["B-STOCK-S"] = 600,
        ["B-STOCK-M"] = 900,
        ["B-STOCK-L"] = 1200,
    };

    public const int FastestLayerSeconds = 15;

    private const double Ambient = 25;
    private const double ScrapRate = 0.02;
    private static readonly TimeSpan LayerTime = TimeSpan.FromSeconds(20);
    private double _layerTime;
    private long _builds;
    private long _scrap;
    private double _inLayer;
    private long _layers;
    private int _buildLayers;
    private int _buildDone;
    private double _headTemperature = Ambient;
    private double _binder = 100;
    private double _energy;
    private string _program = "";

    public SandPrinter(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle) => NewBuild();

    public override MachineTypeDefinition Definition => MachineCatalog.SandPrinter;

    public double Power { get; private set; }

    // A full job box or a dry binder ends the spell for good: the box is unpacked (idle) or the binder refilled (setup)
    // before the next build. Without this a free-running printer "ran" on for hours with nothing to print.
    protected override bool MayRunOn => Job is not null || (_buildDone < _buildLayers && _binder > 0);

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Running && Job is null && _buildDone >= _buildLayers)
        {
            // The full box was unpacked while the printer stood: a new one starts.
            NewBuild();
        }

        if (state == MachineState.Setup)
        {
            NewBuild();
            _binder = 100;
            if (Job is { } job)
            {
                JobBuild(job.Unit);
                _program = job.Program.Length > 0 ? job.Program : _program;
            }
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        var seconds = slice.TotalSeconds;
        if (State == MachineState.Running && _buildDone < _buildLayers && _binder > 0)
        {
            _headTemperature += (36 - _headTemperature) * Math.Min(1, seconds / 120);
            Power = Noisy(18, 2, 0, 30);
            _inLayer += seconds;

            // A loop, not an if: under a job with a short unit time a layer may be shorter than a slice.
            while (_inLayer >= _layerTime && _buildDone < _buildLayers && State == MachineState.Running)
            {
                _inLayer -= _layerTime;
                _layers++;
                _buildDone++;
                _binder = Math.Max(0, _binder - (100.0 / 3000));
                if (Job is not null && _binder < 10)
                {
                    // Under a job the operator tops the binder up while printing rather than stop the plan.
                    _binder = 100;
                }

                if (_buildDone == _buildLayers)
                {
                    BuildFinished();
                }
            }
        }
        else
        {
            _headTemperature += (Ambient - _headTemperature) * Math.Min(1, seconds / 600);
            Power = State switch
            {
                MachineState.Down => 0.5,
                MachineState.Setup => 3,
                _ => 1.5,
            };
        }

        if (State == MachineState.Running && !MayRunOn)
        {
            // The job box is full (or the binder ran dry): stop and wait for unpacking or a refill.
            EndStateNow();
        }

        _energy += Power * slice.TotalHours;
    }

    protected override void Report(IDictionary<string, object> values)
    {
        values["layer_count"] = _layers;
        values["build_count"] = _builds;
        values["scrap_count"] = _scrap;
        values["build_progress"] = Math.Round(100.0 * _buildDone / _buildLayers, 2);
        values["print_head_temperature"] = Math.Round(Math.Clamp(_headTemperature, 0, 80), 1);
        values["binder_level"] = Math.Round(_binder, 2);
        values["clogged_nozzles"] = Math.Round(Wear!.Indicator(0.5, 12, 0.4, 0, 100), 2);
        values["power"] = Math.Round(Power, 2);
        values["energy"] = Math.Round(_energy, 3, MidpointRounding.ToZero);
        values["program"] = _program;
        values["alarm_code"] = (long)AlarmCode;
    }

    private void BuildFinished()
    {
        _builds++;
        var scrap = Random.NextDouble() < ScrapRate;
        if (scrap)
        {
            _scrap++;
        }

        UnitMade(scrap);
        if (Job is { } job && State == MachineState.Running)
        {
            // The next job box goes in at once.
            JobBuild(job.Unit);
        }
    }

    private void JobBuild(TimeSpan unit)
    {
        _buildLayers = (int)Math.Clamp(Math.Round(unit / LayerTime), 1, 5000);
        _layerTime = unit.TotalSeconds / _buildLayers;
        _buildDone = 0;
    }

    private void NewBuild()
    {
        var stock = StockBuilds.ElementAt(Random.Next(StockBuilds.Count));
        _program = stock.Key;
        _buildLayers = stock.Value;
        _buildDone = 0;
        _layerTime = Random.Next(FastestLayerSeconds, 25);
        _inLayer = 0;
    }
}
