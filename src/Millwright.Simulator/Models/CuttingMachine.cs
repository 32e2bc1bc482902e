using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// A single-ply automatic cutter: a made-to-measure job's marker (fetched with the DXF, <see cref="PatternFetcher"/>)
/// is cut piece by piece in marker order, the knife running the pieces' cut lines at the pace's speed; cut_length
/// and pieces_cut follow the knife, garment_count counts finished markers. Without a marker it cuts stock lays.
/// </summary>
internal sealed class CuttingMachine : GarmentStation
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(20)),
        Idle: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(6)),
        Setup: (TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(6)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(8),
        Repair: (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)),
        // Knife broken, vacuum lost, sharpener fault, head collision.
        AlarmCodes: [310, 320, 330, 340]);

    // A stock lay when no marker is sent: 30 m of cut line in 20 pieces.
    private static readonly CutPlan Stock = new("stock", 1500, 2000, Enumerable.Range(1, 20).Select(i => new CutPiece($"stock-{i}", 1500)).ToArray());

    private CutPlan _plan = Stock;
    private double _cutMm;
    private long _pieces;
    private int _piece;
    private double _inPiece;
    private double _knife;

    public CuttingMachine(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle)
    {
    }

    public override MachineTypeDefinition Definition => MachineCatalog.Cutter;

    public override bool CutsMarkers => true;

    /// <summary>Pieces cut so far, every marker's.</summary>
    public long PiecesCut => _pieces;

    /// <summary>Millimetres of cut line run so far.</summary>
    public double CutMm => _cutMm;

    protected override TimeSpan WorkFor(HeldJob job)
    {
        Begin(job.Cut ?? Stock);
        return job.Cut is null ? job.Unit : TimeSpan.FromSeconds(_plan.TotalMm / Pace.KnifeMmPerSecond);
    }

    protected override TimeSpan StockTime()
    {
        Begin(Stock);
        return TimeSpan.FromSeconds(Stock.TotalMm / Pace.KnifeMmPerSecond);
    }

    protected override void Worked(double share)
    {
        var mm = share * _plan.TotalMm;
        _cutMm += mm;
        _inPiece += mm;
        while (_piece < _plan.Pieces.Count && _inPiece >= _plan.Pieces[_piece].CutLengthMm)
        {
            _inPiece -= _plan.Pieces[_piece].CutLengthMm;
            _piece++;
            _pieces++;
        }

        _knife = Noisy(Pace.KnifeMmPerSecond, Pace.KnifeMmPerSecond * 0.05, 0, 100_000);
    }

    protected override void GarmentDone()
    {
        // Rounding may leave the last piece a hair short of its length: the marker is done, so is every piece.
        _pieces += _plan.Pieces.Count - _piece;
        Begin(_plan);
    }

    protected override void Report(IDictionary<string, object> values)
    {
        var running = State == MachineState.Running;
        values["cut_length"] = Math.Round(_cutMm / 1000, 3, MidpointRounding.ToZero);
        values["pieces_cut"] = _pieces;
        values["garment_count"] = Garments;
        values["scrap_count"] = Scrapped;
        values["knife_speed"] = running ? Math.Round(_knife, 1) : 0.0;
        values["marker_progress"] = running ? Math.Round(Progress * 100, 1) : 0.0;
        values["running"] = running;
        values["alarm_code"] = (long)AlarmCode;
    }

    private void Begin(CutPlan plan)
    {
        _plan = plan;
        _piece = 0;
        _inPiece = 0;
    }
}
