using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

public sealed class InferenceTests
{
    private static Dictionary<int, double> Given(PopulationModel model, params (string Name, double Value)[] values) =>
        values.ToDictionary(v => model.IndexOf(v.Name), v => v.Value);

    [Theory]
    [InlineData(Sex.Male)]
    [InlineData(Sex.Female)]
    public void On_held_out_rows_the_model_beats_ols_and_the_copula_alone_and_its_90_percent_intervals_hold_about_90_percent(Sex sex)
    {
        var result = InferenceEvaluation.Evaluate(AnsurData.Of(sex), 1);

        // docs/benchmarks.md: the quadratic surface is 1.8 % (men) and 1.7 % (women) better than OLS; the copula alone 1.1 % and 0.8 %.
        Assert.Equal(10, result.Rows.Count);
        Assert.True(result.ModelMae <= 0.985 * result.OlsMae, $"model {result.ModelMae:F2} mm, OLS {result.OlsMae:F2} mm");
        Assert.True(result.ModelMae < result.CopulaMae, $"model {result.ModelMae:F2} mm, copula alone {result.CopulaMae:F2} mm");
        Assert.InRange(result.Coverage, 0.87, 0.93);
        Assert.All(result.Rows, r => Assert.InRange(r.Coverage, 0.8, 0.97));
    }

    [Fact]
    public void The_hip_girth_as_a_fifth_input_lowers_the_held_out_error_on_the_other_nine_and_keeps_the_intervals_honest()
    {
        var (four, five) = InferenceEvaluation.FifthInput(AnsurData.Male, 1, "buttockcircumference");

        // docs/benchmarks.md, "What a fifth measurement buys".
        Assert.Equal(9, five.Rows.Count);
        Assert.DoesNotContain(five.Rows, r => r.Measurement == "buttockcircumference");
        Assert.True(five.ModelMae < 0.985 * four.ModelMae, $"five inputs {five.ModelMae:F2} mm, four {four.ModelMae:F2} mm");
        Assert.True(five.ModelMae < five.OlsMae, $"model {five.ModelMae:F2} mm, OLS on five {five.OlsMae:F2} mm");
        Assert.InRange(five.Coverage, 0.87, 0.93);
    }

    [Fact]
    public void Given_values_pass_through_and_each_inferred_value_lies_inside_its_interval()
    {
        var model = AnsurData.MaleModel;
        var given = Given(model, ("stature", 1800), ("weightkg", 850), ("chestcircumference", 1050), ("waistcircumference", 950));

        var body = new BodyInference(model).Infer(given);

        foreach (var (column, value) in given)
        {
            Assert.Equal(value, body.Values[column]);
            Assert.True(body.Given[column]);
        }

        foreach (var name in Ansur.TailoringMeasurements.Except(Ansur.KeyMeasurements))
        {
            var j = model.IndexOf(name);
            Assert.False(body.Given[j]);
            Assert.InRange(body.Values[j], body.Low[j], body.High[j]);
            Assert.True(body.High[j] > body.Low[j]);
        }

        // A taller man of the same girths has longer legs.
        var taller = new BodyInference(model).Infer(Given(model, ("stature", 1900), ("weightkg", 850), ("chestcircumference", 1050), ("waistcircumference", 950)));
        Assert.True(taller.Values[model.IndexOf("crotchheight")] > body.Values[model.IndexOf("crotchheight")] + 40);
    }

    [Fact]
    public void An_ordinary_body_passes_without_warnings()
    {
        var model = AnsurData.FemaleModel;
        var check = new Plausibility(new BodyInference(model)).Check(Given(model, ("stature", 1630), ("weightkg", 660), ("waistcircumference", 820)));

        Assert.True(check.Accepted);
        Assert.Empty(check.Warnings);
    }

    [Theory]
    [InlineData("stature", 69.0, "looks like inches")]
    [InlineData("stature", 175.0, "looks like centimetres")]
    [InlineData("weightkg", 80.0, "looks like kilograms")]
    [InlineData("chestcircumference", -1000.0, "must be a positive number")]
    [InlineData("waistcircumference", 3000.0, "outside the plausible range")]
    public void Impossible_values_are_refused_naming_the_measurement_and_the_plausible_range(string name, double value, string reason)
    {
        var model = AnsurData.MaleModel;
        var check = new Plausibility(new BodyInference(model)).Check(Given(model, (name, value)));

        var error = Assert.Single(check.Errors);
        Assert.StartsWith(name, error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        if (value > 0)
        {
            Assert.Matches(@"plausible range \d+\.\.\d+", error);
        }
    }

    [Fact]
    public void A_waist_ordinary_alone_but_impossible_for_the_chest_is_refused_as_inconsistent()
    {
        var model = AnsurData.MaleModel;
        var plausibility = new Plausibility(new BodyInference(model));

        var check = plausibility.Check(Given(model, ("chestcircumference", 830), ("waistcircumference", 1250)));

        Assert.False(check.Accepted);
        Assert.Contains(check.Errors, e => e.StartsWith("waistcircumference 1250 is inconsistent with the other measurements (chestcircumference)", StringComparison.Ordinal));
        Assert.Empty(plausibility.Check(Given(model, ("waistcircumference", 1250))).Errors);
    }

    [Fact]
    public void A_height_above_stature_is_refused_as_swapped()
    {
        var model = AnsurData.FemaleModel;
        var check = new Plausibility(new BodyInference(model)).Check(Given(model, ("stature", 1550), ("waistheightomphalion", 1560)));

        Assert.Contains(check.Errors, e => e.StartsWith("waistheightomphalion 1560 is not below stature 1550", StringComparison.Ordinal));
    }

    [Fact]
    public void A_borderline_value_is_accepted_with_a_warning()
    {
        var model = AnsurData.MaleModel;
        var check = new Plausibility(new BodyInference(model)).Check(Given(model, ("stature", 2030)));

        Assert.True(check.Accepted);
        Assert.Contains(check.Warnings, w => w.StartsWith("stature 2030 is unusual", StringComparison.Ordinal));
    }
}
