namespace Millwright.Tailoring.Sizing;

/// <summary>
/// The menswear and womenswear charts. Base values and grade rules come from a least-squares fit of each control
/// measurement on chest girth and stature over the ANSUR II bodies of that sex, centred on the base size and
/// rounded to whole mm (docs/made-to-measure.md, "Size system"; the test
/// <c>Grade_rules_follow_the_survey_regression</c> re-derives them). Girth step 4 cm, height step 6 cm; the grids
/// cover the survey's 1st to 99th percentiles of chest and stature.
/// </summary>
public static class SizeCharts
{
    /// <summary>Menswear: chest 88-128 cm by height 158-194 cm, base size 104-176.</summary>
    public static SizeChart Menswear { get; } = new(
        "menswear",
        Sex.Male,
        [
            new("chestcircumference", 1040, 40, 0, 20, 1),
            new("stature", 1760, 0, 60, 30, 1),
            new("waistcircumference", 920, 45, -1, 40, 0.25),
            new("buttockcircumference", 1007, 28, 10, 40, 0.25),
            new("neckcircumference", 393, 9, 0, 10, 0.1),
            new("sleeveoutseam", 595, 0, 22, 20, 0.1),
            new("crotchheight", 850, -2, 36, 30, 0.1),
        ],
        Steps(880, 1280, 40),
        Steps(1580, 1940, 60),
        1040,
        1760);

    /// <summary>Womenswear: bust 80-116 cm by height 146-176 cm, base size 92-164.</summary>
    public static SizeChart Womenswear { get; } = new(
        "womenswear",
        Sex.Female,
        [
            new("chestcircumference", 920, 40, 0, 20, 1),
            new("stature", 1640, 0, 60, 30, 1),
            new("buttockcircumference", 1007, 25, 15, 40, 0.5),
            new("waistcircumference", 834, 41, 2, 40, 0.25),
            new("neckcircumference", 326, 7, 2, 10, 0.1),
            new("sleeveoutseam", 547, 1, 22, 20, 0.1),
            new("crotchheight", 791, -2, 37, 30, 0.1),
        ],
        Steps(800, 1160, 40),
        Steps(1460, 1760, 60),
        920,
        1640);

    public static SizeChart For(Sex sex) => sex == Sex.Male ? Menswear : Womenswear;

    private static int[] Steps(int from, int to, int step) => Enumerable.Range(0, ((to - from) / step) + 1).Select(i => from + (i * step)).ToArray();
}
