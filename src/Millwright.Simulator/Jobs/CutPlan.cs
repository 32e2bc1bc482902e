namespace Millwright.Simulator.Jobs;

/// <summary>What a cutter cuts for one garment, read from the marker it fetched: the pieces in cutting order and each one's cut length (mm).</summary>
internal sealed record CutPlan(string Garment, double WidthMm, double LengthMm, IReadOnlyList<CutPiece> Pieces)
{
    public double TotalMm => Pieces.Sum(p => p.CutLengthMm);
}

/// <summary>One piece of the marker: its name and the length of its cut line.</summary>
internal sealed record CutPiece(string Name, double CutLengthMm);
