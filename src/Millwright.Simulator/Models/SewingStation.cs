using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// A sewing station: a made-to-measure garment takes its seam length at the pace's sewing speed plus handling per
/// piece (aligning, turning, pressing seams open); seam_length and garment_progress follow it, garment_count counts
/// garments sewn. A job without a garment reference takes its unit time; without jobs it sews stock garments.
/// </summary>
internal sealed class SewingStation : GarmentStation
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(50)),
        Idle: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(8)),
        Setup: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(10),
        Repair: (TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(20)),
        // Thread break, needle break, motor overload.
        AlarmCodes: [11, 12, 21]);

    // A stock garment: 8 m of seams in 12 pieces.
    private const double StockSeamMm = 8000;
    private const int StockPieces = 12;

    private double _seamMm = StockSeamMm;
    private double _sewnMm;
    private double _speed;

    public SewingStation(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle)
    {
    }

    public override MachineTypeDefinition Definition => MachineCatalog.Sewing;

    /// <summary>Millimetres of seam sewn so far.</summary>
    public double SewnMm => _sewnMm;

    protected override TimeSpan WorkFor(HeldJob job)
    {
        if (job.Garment is not { } garment)
        {
            _seamMm = StockSeamMm;
            return job.Unit;
        }

        _seamMm = garment.SeamLengthMm;
        return TimeSpan.FromSeconds((garment.SeamLengthMm / Pace.SewingMmPerSecond) + (garment.Pieces * Pace.HandlingSecondsPerPiece));
    }

    protected override TimeSpan StockTime()
    {
        _seamMm = StockSeamMm;
        return TimeSpan.FromSeconds((StockSeamMm / Pace.SewingMmPerSecond) + (StockPieces * Pace.HandlingSecondsPerPiece));
    }

    protected override void Worked(double share)
    {
        _sewnMm += share * _seamMm;
        _speed = Noisy(Pace.SewingMmPerSecond, Pace.SewingMmPerSecond * 0.2, 0, 100_000);
    }

    protected override void Report(IDictionary<string, object> values)
    {
        var running = State == MachineState.Running;
        values["seam_length"] = Math.Round(_sewnMm / 1000, 3, MidpointRounding.ToZero);
        values["garment_count"] = Garments;
        values["scrap_count"] = Scrapped;
        values["sewing_speed"] = running ? Math.Round(_speed, 1) : 0.0;
        values["garment_progress"] = running ? Math.Round(Progress * 100, 1) : 0.0;
        values["running"] = running;
        values["alarm_code"] = (long)AlarmCode;
    }
}
