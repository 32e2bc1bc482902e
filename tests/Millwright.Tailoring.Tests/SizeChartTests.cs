using Millwright.Tailoring.Sizing;

namespace Millwright.Tailoring.Tests;

public sealed class SizeChartTests
{
    public static TheoryData<Sex> Sexes => [Sex.Male, Sex.Female];

    [Theory]
    [MemberData(nameof(Sexes))]
    public void A_body_with_the_values_of_a_size_gets_that_size_and_no_alterations(Sex sex)
    {
        var chart = SizeCharts.For(sex);
        foreach (var size in chart.Sizes)
        {
            var fit = chart.Fit(Body(chart, size.Values));
            Assert.Equal(size.Designation, fit.Size.Designation);
            Assert.All(fit.Alterations, a => Assert.Equal(0, a, 9));
        }
    }

    [Fact]
    public void A_chest_between_two_girths_gets_the_nearer_size_and_the_difference_as_alteration()
    {
        var chart = SizeCharts.Menswear;
        var size = chart["108-176"];
        var values = size.Values.ToArray();
        values[0] = 1062; // 18 mm below 108, 22 above 104
        values[2] += 15; // a little more waist than the size
        var fit = chart.Fit(Body(chart, values));
        Assert.Equal("108-176", fit.Size.Designation);
        Assert.Equal(-18, fit.AlterationOf("chestcircumference"), 9);
        Assert.Equal(15, fit.AlterationOf("waistcircumference"), 9);
        Assert.Equal(0, fit.AlterationOf("stature"), 9);
    }

    [Fact]
    public void A_large_waist_moves_the_base_size_up_a_girth()
    {
        // Near the middle of two girths the waist decides: a 105.8 cm chest with the waist of a 112 takes the 108.
        var chart = SizeCharts.Menswear;
        var values = chart["104-176"].Values.ToArray();
        values[0] = 1058;
        Assert.Equal("104-176", chart.Fit(Body(chart, values)).Size.Designation);
        values[2] = chart["112-176"].Values[2];
        Assert.Equal("108-176", chart.Fit(Body(chart, values)).Size.Designation);
        values[2] = chart["100-176"].Values[2];
        Assert.Equal("104-176", chart.Fit(Body(chart, values)).Size.Designation);
    }

    [Fact]
    public void A_body_beyond_the_chart_gets_the_end_size_and_the_whole_difference_as_alteration()
    {
        var chart = SizeCharts.Womenswear;
        var values = chart["80-146"].Values.ToArray();
        values[0] -= 60;
        var fit = chart.Fit(Body(chart, values));
        Assert.Equal("80-146", fit.Size.Designation);
        Assert.Equal(-60, fit.AlterationOf("chestcircumference"), 9);
    }

    [Fact]
    public void A_body_without_a_control_measurement_is_refused_naming_it()
    {
        var body = new Dictionary<string, double> { ["chestcircumference"] = 1000, ["stature"] = 1750 };
        var e = Assert.Throws<ArgumentException>(() => SizeCharts.Menswear.Fit(body));
        Assert.Contains("waistcircumference", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sexes))]
    public void Grade_rules_follow_the_survey_regression(Sex sex)
    {
        // The chart's base values and grade rules are the survey's least-squares fit on chest and stature, rounded.
        var chart = SizeCharts.For(sex);
        var sample = AnsurData.Of(sex);
        var chest = sample.IndexOf("chestcircumference");
        var stature = sample.IndexOf("stature");
        var primary = chart.Controls[0].Base;
        var secondary = chart.Controls[1].Base;
        var inputs = sample.Rows.Select(r => new[] { r[chest] - primary, r[stature] - secondary }).ToArray();
        foreach (var control in chart.Controls.Skip(2))
        {
            var column = sample.IndexOf(control.Name);
            var ols = LeastSquares.Fit(inputs, sample.Rows.Select(r => r[column]).ToArray());
            var at = ols.Predict([0, 0]);
            Assert.InRange(control.Base - at, -1, 1);
            Assert.InRange(control.PerGirthStep - (ols.Predict([chart.GirthStep, 0]) - at), -1, 1);
            Assert.InRange(control.PerHeightStep - (ols.Predict([0, chart.HeightStep]) - at), -1, 1);
        }
    }

    [Theory]
    [MemberData(nameof(Sexes))]
    public void The_chart_covers_the_survey_from_the_1st_to_the_99th_percentile(Sex sex)
    {
        var chart = SizeCharts.For(sex);
        var sample = AnsurData.Of(sex);
        foreach (var (control, index) in new[] { (chart.Controls[0], 0), (chart.Controls[1], 1) })
        {
            var values = sample.Column(sample.IndexOf(control.Name)).Order().ToArray();
            var step = index == 0 ? chart.GirthStep : chart.HeightStep;
            var low = chart.Sizes.Min(s => s.Values[index]);
            var high = chart.Sizes.Max(s => s.Values[index]);
            Assert.True(low <= values[values.Length / 100] + (step / 2.0), $"{control.Name}: smallest size {low}");
            Assert.True(high >= values[values.Length * 99 / 100] - (step / 2.0), $"{control.Name}: largest size {high}");
        }
    }

    private static Dictionary<string, double> Body(SizeChart chart, IReadOnlyList<double> values) =>
        chart.Controls.Select((c, i) => (c.Name, values[i])).ToDictionary(p => p.Name, p => p.Item2);
}
