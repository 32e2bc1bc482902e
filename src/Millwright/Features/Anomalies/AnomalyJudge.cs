using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>
/// Turns the detector's raw score into the series' own: the detector's score is 1 - exp(-s/4) for a surprise s
/// (ln of "1 in N"); feedback takes a discount off s per kind of deviation, and the series' sensitivity sets the
/// surprise that raises an alarm. Pure arithmetic, so it is tested alone.
/// </summary>
internal static class AnomalyJudge
{
    /// <summary>Largest discount feedback can build up: ln(10^13), beyond which nothing would ever be reported.</summary>
    public const double MaxDiscount = 30;

    /// <summary>Most negative discount (a confirmed series made more sensitive): about a factor 20 in "1 in N".</summary>
    public const double MinDiscount = -3;

    public static double Surprise(double score) => -4 * Math.Log(1 - Math.Clamp(score, 0, 1 - 1e-15));

    public static double Score(double surprise) => 1 - Math.Exp(-Math.Max(0, surprise) / 4);

    public static double Adjust(double rawScore, double discount) => rawScore <= 0 ? 0 : Score(Surprise(rawScore) - discount);

    /// <summary>The adjusted score at and above which a reading raises an alarm.</summary>
    public static double RaiseAt(string sensitivity) => Score(Math.Log(AnomalyVocabulary.Rarity(sensitivity)));

    /// <summary>
    /// A false mark discounts the marked kind of deviation by half the marked reading's surprise (a quarter for
    /// the other kinds), so the same deviation scores lower next time and two false marks silence it; a true mark
    /// halves a discount or, when there is none, makes that kind of deviation a little more sensitive (the other
    /// kinds half as much).
    /// </summary>
    public static double AfterFeedback(double discount, double rawScore, bool falseAlarm, bool marked = true)
    {
        var weight = marked ? 1 : 0.5;
        return falseAlarm
            ? Math.Min(MaxDiscount, Math.Max(discount, 0) + (weight * Surprise(rawScore) / 2))
            : discount > 0 ? discount * (1 - (weight / 2)) : Math.Max(MinDiscount, discount - (weight / 2));
    }

    public static int Index(AnomalyCause cause) => (int)cause - 1;
}
