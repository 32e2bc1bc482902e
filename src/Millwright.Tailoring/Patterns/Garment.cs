namespace Millwright.Tailoring.Patterns;

/// <summary>
/// A drafted garment: its pieces and the lengths the draft was made to (name → mm: the body measurement plus its
/// ease), which the pieces' geometry must reproduce.
/// </summary>
public sealed record Garment(string Name, IReadOnlyList<PatternPiece> Pieces, IReadOnlyDictionary<string, double> Targets)
{
    public PatternPiece this[string piece] => Pieces.FirstOrDefault(p => p.Name == piece) ?? throw new ArgumentException($"{Name} has no piece {piece}", nameof(piece));
}
