namespace Millwright.Simulator.Jobs;

/// <summary>
/// The made-to-measure garment a job works on (<c>customization.tailoring</c>, docs/made-to-measure.md "Order to
/// machine"): what it is, how many pieces, the knife's and the seams' lengths, and the DXF and marker to fetch.
/// </summary>
internal sealed record GarmentReference(string Garment, int Pieces, double CutLengthMm, double SeamLengthMm, PlatformFile Dxf, PlatformFile Marker);
