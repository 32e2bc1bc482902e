using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

public sealed class PopulationModelTests
{
    [Theory]
    [InlineData(Sex.Male)]
    [InlineData(Sex.Female)]
    public void The_data_set_loads_with_93_measurements_per_sex(Sex sex)
    {
        var sample = AnsurData.Of(sex);
        Assert.Equal(93, sample.Names.Count);
        Assert.True(sample.Count > 1000);
        Assert.Contains("stature", sample.Names);
        Assert.Contains("weightkg", sample.Names);
        Assert.All(sample.Rows, r => Assert.All(r, v => Assert.True(v > 0)));
        Assert.All(sample.Ages, a => Assert.InRange(a, 17, 70));
    }

    [Theory]
    [InlineData(Sex.Male)]
    [InlineData(Sex.Female)]
    public void The_copula_beats_a_raw_normal_on_held_out_percentiles(Sex sex)
    {
        var (train, test) = AnsurData.Of(sex).Split(5, 1);
        var real = ColumnStats.Of(PopulationModel.WithAge(test));
        var copula = ModelFit.Compare(real, ColumnStats.Of(ModelReport.Draw(PopulationModel.Fit(train), 20_000, 3)));
        var normal = ModelFit.Compare(real, ColumnStats.Of(ModelReport.Draw(RawNormalModel.Fit(train), 20_000, 3)));
        Assert.True(copula.P1 + copula.P99 < normal.P1 + normal.P99, $"copula tails {copula.P1:F3}+{copula.P99:F3}, normal {normal.P1:F3}+{normal.P99:F3}");
        Assert.True(copula.CorrelationMean < 0.05, $"copula correlation error {copula.CorrelationMean:F3}");
        Assert.True(copula.Mean < 0.1 && copula.Sd < 0.1, $"copula mean {copula.Mean:F3}, SD {copula.Sd:F3}");
    }

    [Fact]
    public void Drawn_bodies_have_no_negative_measurement_and_repeat_with_the_seed()
    {
        var first = ModelReport.Draw(AnsurData.FemaleModel, 5_000, 42);
        var second = ModelReport.Draw(AnsurData.FemaleModel, 5_000, 42);
        Assert.Equal(first.SelectMany(r => r), second.SelectMany(r => r));
        Assert.All(first, r => Assert.All(r, v => Assert.True(v > 0)));
        Assert.NotEqual(first[0], ModelReport.Draw(AnsurData.FemaleModel, 1, 43)[0]);
    }

    [Theory]
    [InlineData(Sex.Male)]
    [InlineData(Sex.Female)]
    public void The_civilian_adjustment_meets_its_target_means_and_widens_the_waist(Sex sex)
    {
        var model = AnsurData.ModelOf(sex);
        var target = CivilianTarget.UsAdults(sex);
        var adjusted = CivilianAdjustment.Apply(model, target);
        var means = CivilianAdjustment.Means(adjusted);
        Assert.Equal(target.MeanAge, means.Age, 0.1);
        Assert.Equal(target.MeanBmi, means.Bmi, 0.05);
        Assert.Equal(target.MeanStatureMm, means.Stature, 1);
        var waist = model.IndexOf("waistcircumference");
        var before = ModelReport.Draw(model, 10_000, 5).Average(r => r[waist]);
        var after = ModelReport.Draw(adjusted, 10_000, 5).Average(r => r[waist]);
        Assert.True(after > before + 30, $"waist {before:F0} -> {after:F0} mm");
    }

    [Fact]
    public void A_marginal_maps_scores_and_values_both_ways()
    {
        var marginal = Marginal.Fit(AnsurData.Male.Column(AnsurData.Male.IndexOf("chestcircumference")));
        foreach (var z in new[] { -7.0, -3, -1.2, 0, 0.3, 2.5, 7 })
        {
            Assert.Equal(z, marginal.Score(marginal.Quantile(z)), 9);
        }

        Assert.True(marginal.Quantile(-7) < marginal.Min && marginal.Quantile(7) > marginal.Max);
    }

    [Fact]
    public void The_normal_quantile_inverts_the_cdf()
    {
        foreach (var p in new[] { 1e-9, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999 })
        {
            Assert.Equal(p, Normal.Cdf(Normal.Quantile(p)), p * 1e-5);
        }

        Assert.Equal(0.95, Normal.Cdf(Normal.Z95), 6);
    }
}
