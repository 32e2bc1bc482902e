using Svg;

namespace Millwright.Embroidery.Design;

/// <summary>Converts SVG lengths to millimetres (CSS units: 96 px to the inch).</summary>
internal static class SvgUnits
{
    public const float MmPerPx = 25.4f / 96f;

    /// <summary>The length in millimetres, or null for units that need a context (%, em, ex).</summary>
    public static float? ToMm(SvgUnit unit) => unit.Type switch
    {
        SvgUnitType.Millimeter => unit.Value,
        SvgUnitType.Centimeter => unit.Value * 10,
        SvgUnitType.Inch => unit.Value * 25.4f,
        SvgUnitType.Point => unit.Value * 25.4f / 72,
        SvgUnitType.Pica => unit.Value * 25.4f / 6,
        SvgUnitType.Pixel or SvgUnitType.User or SvgUnitType.None => unit.Value * MmPerPx,
        _ => null,
    };

    /// <summary>A length in user units (the element's own coordinate system); absolute units count as CSS pixels.</summary>
    public static float User(SvgUnit unit) => unit.Type switch
    {
        SvgUnitType.Millimeter or SvgUnitType.Centimeter or SvgUnitType.Inch or SvgUnitType.Point or SvgUnitType.Pica => ToMm(unit)!.Value / MmPerPx,
        _ => unit.Value,
    };
}
