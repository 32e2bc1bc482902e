namespace Millwright.Tailoring;

/// <summary>
/// Population means a civilian adjustment aims at. <see cref="MeanWaistMm"/> is not fitted: it is a check of how
/// well the shift carries over to girths the target did not name.
/// </summary>
public sealed record CivilianTarget(double MeanAge, double MeanBmi, double MeanStatureMm, double MeanWaistMm)
{
    /// <summary>
    /// U.S. adults aged 20 and over, NHANES 2015–2016 (Fryar et al., National Health Statistics Reports 122, 2018):
    /// men BMI 29.1, height 69.1 in (1755 mm), waist 102.1 cm; women BMI 29.6, height 63.5 in (1613 mm), waist
    /// 98.0 cm. The mean age of 47 years is our approximation of U.S. adults 20+ (not from that report).
    /// </summary>
    public static CivilianTarget UsAdults(Sex sex) => sex == Sex.Male
        ? new CivilianTarget(47, 29.1, 1755, 1021)
        : new CivilianTarget(47, 29.6, 1613, 980);
}
