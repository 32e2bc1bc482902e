using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>A notch: where on the seam line two pieces are matched, and the unit direction into the piece.</summary>
public sealed record Notch(string Name, Coordinate At, double InwardX, double InwardY);
