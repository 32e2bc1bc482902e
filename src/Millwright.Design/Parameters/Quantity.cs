using System.Globalization;

namespace Millwright.Design.Parameters;

/// <summary>
/// A value in coherent SI units with its dimension, and the unit it is best shown in (the unit it was written in,
/// carried through sums and through products with a plain number; null: show it in SI base units).
/// </summary>
internal readonly record struct Quantity(double Value, Dimension Dimension, Unit? Shown = null)
{
    /// <summary>The value in <see cref="Shown"/> (or SI base units) and that unit's symbol.</summary>
    public (string Number, string Unit) Display(Unit? declared = null)
    {
        var unit = declared ?? Shown;
        if (unit is null)
        {
            var si = Dimension.ToString();
            return (Format(Value), si == "1" ? "" : si);
        }

        return (Format(Value / unit.Factor), unit.Symbol is "1" ? "" : unit.Symbol);
    }

    public override string ToString()
    {
        var (number, unit) = Display();
        return unit.Length == 0 ? number : $"{number} {unit}";
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
