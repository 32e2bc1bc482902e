namespace Millwright.Embroidery.Design;

/// <summary>What a PNG/JPEG logo may be (docs/embroidery.md, "Logos"); over a limit the logo is <see cref="DesignProblem.TooComplex"/>.</summary>
public sealed record LogoLimits
{
    public int MaxBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Decoded pixels (width × height) of the image as sent.</summary>
    public long MaxPixels { get; init; } = 16_000_000;

    public int MaxColors { get; init; } = 12;

    /// <summary>The traced picture's pixel, in mm: fine enough for a satin edge, coarse enough to keep the outlines short.</summary>
    public double CellMm { get; init; } = 0.25;

    /// <summary>Most cells across the traced picture (a very wide logo gets larger cells).</summary>
    public int MaxCells { get; init; } = 800;
}
