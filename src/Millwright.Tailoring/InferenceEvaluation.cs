using System.Globalization;
using System.Text;

namespace Millwright.Tailoring;

/// <summary>
/// Inference accuracy on rows the models were not fitted on: per sex, a seeded 80/20 split; the population model, its
/// quadratic surface and one OLS per measurement (on the same four inputs) are fitted on the 80 %, and all predict the
/// held-out 20 % from stature, weightkg, chestcircumference and waistcircumference alone (the copula's conditional
/// median without the surface is reported beside them). Reports mean absolute error per measurement and
/// how often the 90 % interval held the real value.
/// </summary>
public static class InferenceEvaluation
{
    /// <summary>The ten measurements the accuracy target is stated on (the tailoring ones not among the inputs).</summary>
    public static IReadOnlyList<string> Targets { get; } = Ansur.TailoringMeasurements.Except(Ansur.KeyMeasurements).ToArray();

    public static string Write(BodySample male, BodySample female, int seed)
    {
        var md = new StringBuilder();
        md.AppendLine("| Sex | Measurement | MAE model (mm) | MAE OLS (mm) | model vs OLS | 90 % interval coverage | MAE copula alone (mm) | copula vs OLS |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var sample in new[] { male, female })
        {
            var result = Evaluate(sample, seed);
            foreach (var row in result.Rows)
            {
                md.AppendLine(Invariant($"| {sample.Sex} | {row.Measurement} | {row.ModelMae:F2} | {row.OlsMae:F2} | {Change(row.ModelMae, row.OlsMae)} | {row.Coverage:P1} | {row.CopulaMae:F2} | {Change(row.CopulaMae, row.OlsMae)} |"));
            }

            md.AppendLine(Invariant($"| {sample.Sex} | **mean of the ten** | **{result.ModelMae:F2}** | **{result.OlsMae:F2}** | **{Change(result.ModelMae, result.OlsMae)}** | **{result.Coverage:P1}** | **{result.CopulaMae:F2}** | **{Change(result.CopulaMae, result.OlsMae)}** |"));
        }

        return md.ToString();
    }

    /// <summary>The fifth inputs <see cref="WriteFifth"/> tries: the hip girth and three lengths a customer can take at home.</summary>
    public static IReadOnlyList<string> FifthInputs { get; } = ["buttockcircumference", "crotchheight", "sleeveoutseam", "waistheightomphalion"];

    /// <summary>
    /// What one more measurement buys: per sex and candidate fifth input, the mean absolute error over the other
    /// nine of the ten targets with the four key inputs and with the fifth added (model and OLS, both fitted on the
    /// same training rows as <see cref="Evaluate(BodySample, int)"/> and measured on the same held-out rows).
    /// </summary>
    public static string WriteFifth(BodySample male, BodySample female, int seed)
    {
        var md = new StringBuilder();
        md.AppendLine("| Sex | Fifth input | MAE model, 4 inputs (mm) | MAE model, 5 inputs (mm) | change | MAE OLS, 5 inputs (mm) | model vs OLS, 5 inputs | 90 % interval coverage, 5 inputs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var sample in new[] { male, female })
        {
            var (train, test) = sample.Split(5, seed);
            var model = PopulationModel.Fit(train);
            foreach (var fifth in FifthInputs)
            {
                var nine = Targets.Where(t => t != fifth).ToArray();
                var four = Evaluate(sample, model, train, test, Ansur.KeyMeasurements, nine);
                var five = Evaluate(sample, model, train, test, [.. Ansur.KeyMeasurements, fifth], nine);
                md.AppendLine(Invariant($"| {sample.Sex} | {fifth} | {four.ModelMae:F2} | {five.ModelMae:F2} | {Change(five.ModelMae, four.ModelMae)} | {five.OlsMae:F2} | {Change(five.ModelMae, five.OlsMae)} | {five.Coverage:P1} |"));
            }
        }

        return md.ToString();
    }

    /// <summary>One sex's held-out errors over the nine targets other than <paramref name="fifth"/>, with the four key inputs and with the fifth added.</summary>
    public static (EvaluationResult Four, EvaluationResult Five) FifthInput(BodySample sample, int seed, string fifth)
    {
        var (train, test) = sample.Split(5, seed);
        var model = PopulationModel.Fit(train);
        var nine = Targets.Where(t => t != fifth).ToArray();
        return (Evaluate(sample, model, train, test, Ansur.KeyMeasurements, nine), Evaluate(sample, model, train, test, [.. Ansur.KeyMeasurements, fifth], nine));
    }

    public static EvaluationResult Evaluate(BodySample sample, int seed)
    {
        var (train, test) = sample.Split(5, seed);
        return Evaluate(sample, PopulationModel.Fit(train), train, test, Ansur.KeyMeasurements, Targets);
    }

    private static EvaluationResult Evaluate(BodySample sample, PopulationModel model, BodySample train, BodySample test, IReadOnlyList<string> given, IReadOnlyList<string> targets)
    {
        var inference = new BodyInference(model, train);
        var copula = new BodyInference(model);
        var inputs = given.Select(sample.IndexOf).ToArray();
        var rows = new List<EvaluationRow>();
        var trainInputs = train.Rows.Select(r => inputs.Select(j => r[j]).ToArray()).ToArray();
        var predictions = test.Rows.Select(r => inference.Infer(inputs.ToDictionary(j => j, j => r[j]))).ToArray();
        var copulaPredictions = test.Rows.Select(r => copula.Infer(inputs.ToDictionary(j => j, j => r[j]))).ToArray();
        foreach (var name in targets)
        {
            var target = sample.IndexOf(name);
            var ols = LeastSquares.Fit(trainInputs, train.Rows.Select(r => r[target]).ToArray());
            double surface = 0, baseline = 0, covered = 0, alone = 0;
            for (var i = 0; i < test.Count; i++)
            {
                var real = test.Rows[i][target];
                var predicted = predictions[i];
                surface += Math.Abs(predicted.Values[target] - real);
                alone += Math.Abs(copulaPredictions[i].Values[target] - real);
                baseline += Math.Abs(ols.Predict(inputs.Select(j => test.Rows[i][j]).ToArray()) - real);
                covered += predicted.Low[target] <= real && real <= predicted.High[target] ? 1 : 0;
            }

            rows.Add(new EvaluationRow(name, surface / test.Count, baseline / test.Count, covered / test.Count, alone / test.Count));
        }

        return new EvaluationResult(rows, rows.Average(r => r.ModelMae), rows.Average(r => r.OlsMae), rows.Average(r => r.Coverage), rows.Average(r => r.CopulaMae));
    }

    private static string Change(double model, double ols) => Invariant($"{(model / ols - 1) * 100:+0.0;-0.0} %");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
