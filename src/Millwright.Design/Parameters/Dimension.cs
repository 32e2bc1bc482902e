using System.Text;

namespace Millwright.Design.Parameters;

/// <summary>
/// The physical dimension of a quantity as exponents of the SI base quantities it is built from: length, mass,
/// time, electric current, temperature and amount of substance (angles and counts are dimensionless). Two
/// quantities may be added or compared only when their dimensions are equal.
/// </summary>
internal readonly record struct Dimension(sbyte L, sbyte M, sbyte T, sbyte I, sbyte K, sbyte N)
{
    public static readonly Dimension None;
    public static readonly Dimension Length = new(1, 0, 0, 0, 0, 0);
    public static readonly Dimension Mass = new(0, 1, 0, 0, 0, 0);
    public static readonly Dimension Time = new(0, 0, 1, 0, 0, 0);
    public static readonly Dimension Current = new(0, 0, 0, 1, 0, 0);
    public static readonly Dimension Temperature = new(0, 0, 0, 0, 1, 0);
    public static readonly Dimension Amount = new(0, 0, 0, 0, 0, 1);

    public static Dimension operator *(Dimension a, Dimension b) =>
        new(Add(a.L, b.L), Add(a.M, b.M), Add(a.T, b.T), Add(a.I, b.I), Add(a.K, b.K), Add(a.N, b.N));

    public static Dimension operator /(Dimension a, Dimension b) => a * b.Pow(-1);

    public Dimension Pow(int power) =>
        new(Mul(L, power), Mul(M, power), Mul(T, power), Mul(I, power), Mul(K, power), Mul(N, power));

    /// <summary>The square root, or null when an exponent is odd (the root of m3 is no unit).</summary>
    public Dimension? Sqrt() =>
        L % 2 == 0 && M % 2 == 0 && T % 2 == 0 && I % 2 == 0 && K % 2 == 0 && N % 2 == 0
            ? new Dimension((sbyte)(L / 2), (sbyte)(M / 2), (sbyte)(T / 2), (sbyte)(I / 2), (sbyte)(K / 2), (sbyte)(N / 2))
            : null;

    /// <summary>The dimension in SI base units (<c>kg.m2/s2</c>, <c>1</c> when dimensionless), for messages and as the fallback unit.</summary>
    public override string ToString()
    {
        var up = new StringBuilder();
        var down = new StringBuilder();
        Part(up, down, "kg", M);
        Part(up, down, "m", L);
        Part(up, down, "s", T);
        Part(up, down, "A", I);
        Part(up, down, "K", K);
        Part(up, down, "mol", N);
        var top = up.Length == 0 ? "1" : up.ToString();
        return down.Length == 0 ? top : $"{top}/{down}";
    }

    private static void Part(StringBuilder up, StringBuilder down, string symbol, sbyte exponent)
    {
        if (exponent == 0)
        {
            return;
        }

        var target = exponent > 0 ? up : down;
        if (target.Length > 0)
        {
            target.Append('.');
        }

        target.Append(symbol);
        var size = Math.Abs(exponent);
        if (size != 1)
        {
            target.Append(size);
        }
    }

    private static sbyte Add(sbyte a, sbyte b) => Fit(a + b);

    private static sbyte Mul(sbyte a, int b) => Fit((long)a * b);

    // Exponents beyond ±100 are no physical quantity: a formula such as ((x^9)^9)^9 is refused rather than overflowing.
    private static sbyte Fit(long exponent) => exponent is >= -100 and <= 100
        ? (sbyte)exponent
        : throw new FormulaException($"a unit's exponent would be {exponent}; at most 100 either way");
}
