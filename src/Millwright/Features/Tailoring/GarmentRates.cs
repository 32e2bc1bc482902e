using System.Globalization;

namespace Millwright.Features.Tailoring;

/// <summary>
/// How fast one machine cuts and sews a made-to-measure garment (docs/made-to-measure.md, "Plan timing"). A machine
/// states its own rates among its capabilities, as what it can do: <c>cutting-speed-N</c> (its knife along the cut
/// lines, N mm/s), <c>sewing-speed-N</c> (along the seams, N mm/s) and <c>sewing-handling-N</c> (N s per cut piece);
/// a rate it does not state is the default of <see cref="TailoringOptions"/> (250 mm/s, 40 mm/s, 45 s).
/// </summary>
internal sealed record GarmentRates(double KnifeMmPerSecond, double SewingMmPerSecond, double HandlingSecondsPerPiece)
{
    public const string KnifePrefix = "cutting-speed-";
    public const string SewingPrefix = "sewing-speed-";
    public const string HandlingPrefix = "sewing-handling-";

    public static GarmentRates Defaults(TailoringOptions options) => new(options.KnifeMmPerSecond, options.SewingMmPerSecond, options.HandlingSecondsPerPiece);

    /// <summary>The rates a machine with these capabilities works at; a malformed or out-of-range rate capability is ignored (the default stands).</summary>
    public static GarmentRates Of(IEnumerable<string> capabilities, TailoringOptions options)
    {
        var rates = Defaults(options);
        foreach (var capability in capabilities)
        {
            if (Rate(capability, KnifePrefix, 1, 100_000) is { } knife)
            {
                rates = rates with { KnifeMmPerSecond = knife };
            }
            else if (Rate(capability, SewingPrefix, 1, 100_000) is { } sewing)
            {
                rates = rates with { SewingMmPerSecond = sewing };
            }
            else if (Rate(capability, HandlingPrefix, 0, 3_600) is { } handling)
            {
                rates = rates with { HandlingSecondsPerPiece = handling };
            }
        }

        return rates;
    }

    private static double? Rate(string capability, string prefix, int min, int max) =>
        capability.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(capability.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        && value >= min && value <= max
            ? value
            : null;
}
