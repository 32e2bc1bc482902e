namespace Millwright.Tailoring.Nesting;

/// <summary>
/// A marker: every cut copy of an order's pieces placed on a fabric <see cref="Width"/> wide, using
/// <see cref="Length"/> of it. <see cref="Efficiency"/> is the pieces' cut area over the marker's area.
/// </summary>
public sealed record Marker(double Width, double Length, IReadOnlyList<Placement> Placements)
{
    public double PieceArea => Placements.Sum(p => p.Piece.Cut.Area);

    public double Efficiency => Length > 0 ? PieceArea / (Length * Width) : 0;
}
