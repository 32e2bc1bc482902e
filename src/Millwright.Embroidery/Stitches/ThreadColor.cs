using System.Globalization;

namespace Millwright.Embroidery.Stitches;

/// <summary>A thread of the plan: its colour (sRGB) and the design's name for it, if any.</summary>
public readonly record struct ThreadColor(byte R, byte G, byte B)
{
    /// <summary>The colour as #rrggbb, the form the thread plan and previews use.</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    public static ThreadColor Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length != 6 || !int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            throw new FormatException($"'{hex}' is not a #rrggbb colour");
        }

        return new ThreadColor((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    public override string ToString() => Hex;
}
