namespace Millwright.Tests.Tailoring;

/// <summary>Measurements a customer gives (ANSUR II names, mm; weightkg in tenths of a kg).</summary>
internal static class TestBodies
{
    /// <summary>An ordinary man's four key measurements: 178 cm, 82 kg, chest 104 cm, waist 93 cm.</summary>
    public static Dictionary<string, double> Man() => new()
    {
        ["stature"] = 1780, ["weightkg"] = 820, ["chestcircumference"] = 1040, ["waistcircumference"] = 930,
    };

    /// <summary>An ordinary woman's measurements: 164 cm, 64 kg, bust 92 cm, waist 82 cm, hips 100 cm.</summary>
    public static Dictionary<string, double> Woman() => new()
    {
        ["stature"] = 1640, ["weightkg"] = 640, ["chestcircumference"] = 920, ["waistcircumference"] = 820, ["buttockcircumference"] = 1000,
    };

    /// <summary>The thirteen measurements the tailoring model must complete (docs/made-to-measure.md, "Inference").</summary>
    public static readonly string[] Tailoring =
    [
        "neckcircumference", "shouldercircumference", "biacromialbreadth", "sleeveoutseam", "buttockcircumference",
        "thighcircumference", "crotchheight", "bicepscircumferenceflexed", "wristcircumference", "waistheightomphalion",
        "chestcircumference", "waistcircumference", "stature",
    ];
}
