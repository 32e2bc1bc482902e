namespace Millwright.Learning.Risk;

/// <summary>The standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf: error below 1.5e-7).</summary>
internal static class Normal
{
    public static double Cdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var erf = 1 - ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
