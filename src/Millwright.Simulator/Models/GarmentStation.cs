using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// A station of the tailoring cell (cutter, sewing station, finishing): one garment at a time, each taking the time
/// its kind says (<see cref="WorkFor"/>: from the made-to-measure garment the job names, else the job's unit time),
/// counted in garment_count when done; a few are scrapped. Without the platform's jobs it works stock garments.
/// </summary>
internal abstract class GarmentStation : SimulatedMachine
{
    private const double ScrapRate = 0.01;
    private TimeSpan _unit;
    private TimeSpan _in;

    protected GarmentStation(string name, int seed, TimeProvider time, CycleProfile cycle) : base(name, seed, time, cycle) => _unit = StockTime();

    /// <summary>How fast garments are cut and sewn.</summary>
    public TailoringPace Pace { get; set; } = TailoringPace.Default;

    /// <summary>Garments finished (scrap included): the part counter.</summary>
    public long Garments { get; private set; }

    public long Scrapped { get; private set; }

    /// <summary>How far the current garment is, 0 to 1.</summary>
    protected double Progress => _unit > TimeSpan.Zero ? Math.Min(1, _in / _unit) : 0;

    /// <summary>The time one garment of <paramref name="job"/> takes at this station.</summary>
    protected abstract TimeSpan WorkFor(HeldJob job);

    /// <summary>A stock garment's time when the station runs on its own.</summary>
    protected abstract TimeSpan StockTime();

    /// <summary>Called as work is done, with the share of the current garment done in this step (0 to 1).</summary>
    protected virtual void Worked(double share)
    {
    }

    /// <summary>Called when a garment is finished, before it is counted.</summary>
    protected virtual void GarmentDone()
    {
    }

    protected override void OnEntered(MachineState state)
    {
        if (state == MachineState.Setup)
        {
            // A garment interrupted by a changeover is abandoned; what was done of it stays counted.
            _unit = Job is { } job ? WorkFor(job) : StockTime();
            _in = TimeSpan.Zero;
        }
    }

    protected override void Advance(TimeSpan slice)
    {
        if (State != MachineState.Running || _unit <= TimeSpan.Zero)
        {
            return;
        }

        // Garment by garment within the slice, so every counter a kind keeps rises by exactly one garment's worth per garment.
        var left = slice;
        while (left > TimeSpan.Zero && State == MachineState.Running)
        {
            var step = left < _unit - _in ? left : _unit - _in;
            _in += step;
            left -= step;
            Worked(step / _unit);
            if (_in < _unit)
            {
                continue;
            }

            _in = TimeSpan.Zero;
            GarmentDone();
            Garments++;
            var scrap = Random.NextDouble() < ScrapRate;
            if (scrap)
            {
                Scrapped++;
            }

            UnitMade(scrap);
        }
    }
}
