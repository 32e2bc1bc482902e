using System.Globalization;

namespace Millwright.Features.Embroidery;

/// <summary>The documented price formula (<see cref="EmbroideryOptions"/>, docs/embroidery.md "Price").</summary>
internal static class EmbroideryPrice
{
    public static PriceDto Of(DesignRow design, EmbroideryOptions o)
    {
        var perPiece = (design.Stitches / 1000m * o.PerThousandStitches) + (design.ColourChanges * o.PerColourChange) + (design.Trims * o.PerTrim);
        var setup = o.Setup + (design.ThreadList.Count * o.PerThread);
        var formula = string.Create(CultureInfo.InvariantCulture,
            $"per piece: {design.Stitches} stitches / 1000 × {o.PerThousandStitches} + {design.ColourChanges} colour changes × {o.PerColourChange} + {design.Trims} trims × {o.PerTrim}; "
            + $"per order: {o.Setup} + {design.ThreadList.Count} threads × {o.PerThread}");
        return new PriceDto(o.Currency, Math.Round(perPiece, 2, MidpointRounding.AwayFromZero), Math.Round(setup, 2, MidpointRounding.AwayFromZero), formula);
    }

    /// <summary>An order of <paramref name="pieces"/>: the setup once, then every piece.</summary>
    public static decimal Total(PriceDto price, long pieces) => price.Setup + (price.PerPiece * pieces);
}
