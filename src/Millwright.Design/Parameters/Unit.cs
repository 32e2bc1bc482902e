using System.Globalization;

namespace Millwright.Design.Parameters;

/// <summary>
/// A unit as written (<c>mm</c>, <c>kg/m3</c>, <c>N.m</c>, <c>m/s2</c>): its factor to the coherent SI unit of its
/// dimension. Units are parsed from symbols joined by <c>.</c> or <c>*</c> (times) and <c>/</c> (divided by, left
/// to right as UCUM reads them), each with an optional integer exponent (<c>m2</c>, <c>s^-1</c>). Temperatures are
/// kelvin only: degrees Celsius have an offset, and a formula cannot tell a temperature from a difference.
/// </summary>
internal sealed record Unit(string Symbol, double Factor, Dimension Dimension)
{
    public static readonly Unit One = new("", 1, Dimension.None);

    private static readonly Dictionary<string, (double Factor, Dimension Dimension)> Exact = new(StringComparer.Ordinal)
    {
        ["1"] = (1, Dimension.None),
        ["%"] = (0.01, Dimension.None),
        ["ppm"] = (1e-6, Dimension.None),
        ["count"] = (1, Dimension.None),
        ["rad"] = (1, Dimension.None),
        ["deg"] = (Math.PI / 180, Dimension.None),
        ["min"] = (60, Dimension.Time),
        ["h"] = (3600, Dimension.Time),
        ["d"] = (86_400, Dimension.Time),
        ["rpm"] = (1.0 / 60, Dimension.Time.Pow(-1)),
        ["t"] = (1000, Dimension.Mass),
        ["in"] = (0.0254, Dimension.Length),
        ["ft"] = (0.3048, Dimension.Length),
        ["lb"] = (0.45359237, Dimension.Mass),
        ["psi"] = (6894.757293168, Dimension.Mass / Dimension.Length / Dimension.Time.Pow(2)),
    };

    // Symbols that take an SI prefix; the gram is the one whose coherent unit (kg) is itself prefixed.
    private static readonly Dictionary<string, (double Factor, Dimension Dimension)> Prefixable = new(StringComparer.Ordinal)
    {
        ["m"] = (1, Dimension.Length),
        ["g"] = (1e-3, Dimension.Mass),
        ["s"] = (1, Dimension.Time),
        ["A"] = (1, Dimension.Current),
        ["K"] = (1, Dimension.Temperature),
        ["mol"] = (1, Dimension.Amount),
        ["Hz"] = (1, Dimension.Time.Pow(-1)),
        ["N"] = (1, Dimension.Mass * Dimension.Length / Dimension.Time.Pow(2)),
        ["Pa"] = (1, Dimension.Mass / Dimension.Length / Dimension.Time.Pow(2)),
        ["J"] = (1, Dimension.Mass * Dimension.Length.Pow(2) / Dimension.Time.Pow(2)),
        ["W"] = (1, Dimension.Mass * Dimension.Length.Pow(2) / Dimension.Time.Pow(3)),
        ["V"] = (1, Dimension.Mass * Dimension.Length.Pow(2) / Dimension.Time.Pow(3) / Dimension.Current),
        ["l"] = (1e-3, Dimension.Length.Pow(3)),
        ["bar"] = (1e5, Dimension.Mass / Dimension.Length / Dimension.Time.Pow(2)),
        ["Wh"] = (3600, Dimension.Mass * Dimension.Length.Pow(2) / Dimension.Time.Pow(2)),
    };

    private static readonly Dictionary<string, double> Prefixes = new(StringComparer.Ordinal)
    {
        ["n"] = 1e-9, ["µ"] = 1e-6, ["u"] = 1e-6, ["m"] = 1e-3, ["c"] = 1e-2, ["d"] = 1e-1,
        ["k"] = 1e3, ["M"] = 1e6, ["G"] = 1e9,
    };

    /// <summary>Parses a unit expression; throws <see cref="FormatException"/> naming what is not a unit (<see cref="FormulaException"/> for an exponent out of range).</summary>
    public static Unit Parse(string text)
    {
        if (text.Length == 0 || text.Length > 40)
        {
            throw new FormatException("a unit is 1-40 characters");
        }

        double factor = 1;
        var dimension = Dimension.None;
        var divide = false;
        var at = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsLetter(text[at]) || text[at] is '%' or 'µ' or '°'))
            {
                at++;
            }

            var symbol = text[start..at];
            if (symbol.Length == 0 && at < text.Length && text[at] == '1')
            {
                symbol = "1";
                at++;
            }

            var (f, d) = Lookup(symbol, text);
            var power = Exponent(text, ref at);
            f = Math.Pow(f, power);
            d = d.Pow(power);
            (factor, dimension) = divide ? (factor / f, dimension / d) : (factor * f, dimension * d);
            if (at == text.Length)
            {
                break;
            }

            divide = text[at] switch
            {
                '.' or '*' => false,
                '/' => true,
                _ => throw new FormatException($"'{text}' is not a unit: unexpected '{text[at]}'"),
            };
            at++;
            if (at == text.Length)
            {
                throw new FormatException($"'{text}' is not a unit: it ends with an operator");
            }
        }

        return new Unit(text, factor, dimension);
    }

    public static bool TryParse(string text, out Unit unit)
    {
        try
        {
            unit = Parse(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or FormulaException)
        {
            unit = One;
            return false;
        }
    }

    private static (double Factor, Dimension Dimension) Lookup(string symbol, string text)
    {
        if (Exact.TryGetValue(symbol, out var exact) || Prefixable.TryGetValue(symbol, out exact))
        {
            return exact;
        }

        foreach (var (prefix, scale) in Prefixes)
        {
            if (symbol.Length > prefix.Length && symbol.StartsWith(prefix, StringComparison.Ordinal) && Prefixable.TryGetValue(symbol[prefix.Length..], out var unit))
            {
                return (scale * unit.Factor, unit.Dimension);
            }
        }

        throw new FormatException(symbol.Length == 0 ? $"'{text}' is not a unit" : $"'{symbol}' is not a known unit (in '{text}')");
    }

    private static int Exponent(string text, ref int at)
    {
        if (at < text.Length && text[at] == '^')
        {
            at++;
        }

        var start = at;
        if (at < text.Length && text[at] == '-')
        {
            at++;
        }

        while (at < text.Length && char.IsAsciiDigit(text[at]))
        {
            at++;
        }

        if (at == start)
        {
            return 1;
        }

        return int.TryParse(text.AsSpan(start, at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power) && power is >= -9 and <= 9 && power != 0
            ? power
            : throw new FormatException($"'{text}' has an exponent outside -9..9");
    }
}
