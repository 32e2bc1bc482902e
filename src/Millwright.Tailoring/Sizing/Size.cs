namespace Millwright.Tailoring.Sizing;

/// <summary>
/// One size of a chart. <see cref="Designation"/> follows ISO 8559-2's pattern of naming a size by its primary and
/// secondary control dimensions in cm (chest or bust girth, then height: "104-176"); <see cref="Values"/> holds every
/// control measurement of the size in mm, in the chart's control order.
/// </summary>
public sealed record Size(string Designation, int GirthIndex, int HeightIndex, IReadOnlyList<double> Values);
