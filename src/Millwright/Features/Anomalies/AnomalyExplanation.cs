using System.Globalization;
using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>The sentence an anomaly alarm carries: which tag, what value, what was expected, how unusual, since when.</summary>
internal static class AnomalyExplanation
{
    public static string Text(string tag, string context, double value, AnomalyVerdict verdict, double rarity, long sinceMs)
    {
        var when = context == AnomalyVocabulary.Any ? "" : $" while {context}";
        var since = DateTimeOffset.FromUnixTimeMilliseconds(sinceMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{tag} = {Number(value)}{when}: expected {Number(verdict.ExpectedLow)} to {Number(verdict.ExpectedHigh)}; {AnomalyVocabulary.Describe(verdict.Cause)}; "
            + $"a reading this unusual comes 1 in {OneIn(rarity)}; since {since} UTC");
    }

    /// <summary>"1 in N" rounded to two significant digits: the detector's rarity is an estimate, not a count.</summary>
    public static string OneIn(double rarity)
    {
        if (!double.IsFinite(rarity) || rarity >= 1e12)
        {
            return "more than 1,000,000,000,000";
        }

        var n = Math.Max(1, rarity);
        var digits = Math.Pow(10, Math.Max(0, Math.Floor(Math.Log10(n)) - 1));
        return (Math.Round(n / digits) * digits).ToString("N0", CultureInfo.InvariantCulture);
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
