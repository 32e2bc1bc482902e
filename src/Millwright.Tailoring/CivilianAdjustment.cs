namespace Millwright.Tailoring;

/// <summary>
/// Moves a survey population toward a civilian one. The latent means of age, weight and stature are shifted, and
/// every other measurement follows through its latent correlation with them (the conditional mean of a normal:
/// m = R[:,S] R[S,S]⁻¹ d), so a heavier civilian gets the larger waist, chest and thighs that go with weight in the
/// data rather than a uniform inflation. The shift d is found by fixed-point iteration on a fixed sample until the
/// drawn means of age, BMI and stature meet the target. What it cannot do: invent shapes the survey never saw
/// (very high BMI is extrapolated along the marginals' straight tails).
/// </summary>
public static class CivilianAdjustment
{
    private const int Draws = 8_000;

    public static PopulationModel Apply(PopulationModel model, CivilianTarget target)
    {
        var age = model.IndexOf(PopulationModel.AgeColumn);
        var weight = model.IndexOf("weightkg");
        var stature = model.IndexOf("stature");
        int[] s = [age, weight, stature];
        var dim = model.Dimension;
        var rss = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                rss[i * 3 + j] = model.Correlation[s[i] * dim + s[j]];
            }
        }

        var lss = Matrix.Cholesky(rss, 3);
        var d = new double[3];
        var adjusted = model;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            var shift = new double[dim];
            Span<double> coefficients = [d[0], d[1], d[2]];
            Matrix.CholeskySolve(lss, 3, coefficients);
            for (var i = 0; i < dim; i++)
            {
                for (var k = 0; k < 3; k++)
                {
                    shift[i] += model.Correlation[i * dim + s[k]] * coefficients[k];
                }
            }

            adjusted = model.WithShift(shift);
            var means = Means(adjusted, age, weight, stature);
            var error = Math.Abs(means.Age - target.MeanAge) / means.AgeSd + Math.Abs(means.Bmi - target.MeanBmi) / means.BmiSd
                + Math.Abs(means.Stature - target.MeanStatureMm) / means.StatureSd;
            if (error < 1e-3)
            {
                break;
            }

            d[0] += (target.MeanAge - means.Age) / means.AgeSd;
            d[1] += (target.MeanBmi - means.Bmi) / means.BmiSd;
            d[2] += (target.MeanStatureMm - means.Stature) / means.StatureSd;
        }

        return adjusted;
    }

    /// <summary>Mean age, BMI and stature of a model's bodies (and their SDs), on a fixed seed.</summary>
    public static (double Age, double AgeSd, double Bmi, double BmiSd, double Stature, double StatureSd) Means(PopulationModel model)
        => Means(model, model.IndexOf(PopulationModel.AgeColumn), model.IndexOf("weightkg"), model.IndexOf("stature"));

    private static (double Age, double AgeSd, double Bmi, double BmiSd, double Stature, double StatureSd) Means(PopulationModel model, int age, int weight, int stature)
    {
        var rng = new Xoshiro(12345);
        var scratch = new double[2 * model.Dimension];
        var body = new double[model.Dimension];
        var ages = new double[Draws];
        var bmis = new double[Draws];
        var statures = new double[Draws];
        for (var i = 0; i < Draws; i++)
        {
            model.Generate(ref rng, scratch, body);
            ages[i] = body[age];
            statures[i] = body[stature];
            bmis[i] = Bmi(body[weight], body[stature]);
        }

        return (ages.Average(), Sd(ages), bmis.Average(), Sd(bmis), statures.Average(), Sd(statures));
    }

    /// <summary>BMI from ANSUR units: weight in tenths of a kilogram, stature in millimetres.</summary>
    public static double Bmi(double weightTenthsKg, double statureMm) => weightTenthsKg / 10 / (statureMm / 1000 * statureMm / 1000);

    private static double Sd(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
