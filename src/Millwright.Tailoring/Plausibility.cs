using System.Globalization;

namespace Millwright.Tailoring;

/// <summary>
/// Checks a customer's given measurements before inference. A value is judged in latent units of the population
/// model: first alone (against the population's distribution of that measurement), then against the other given
/// values (its conditional distribution given them, which is what makes a waist impossible at one stature and
/// ordinary at another). Beyond <see cref="RefuseZ"/> SDs it is refused, naming the measurement and the plausible
/// range; beyond <see cref="WarnZ"/> it is accepted with a warning. A refused value that would be ordinary in
/// inches (×25.4), centimetres (×10) or, for weight, whole kilograms (×10) says so.
/// </summary>
public sealed class Plausibility(BodyInference inference)
{
    public const double RefuseZ = 5.0;
    public const double WarnZ = 3.5;

    public PlausibilityResult Check(IReadOnlyDictionary<int, double> given)
    {
        var model = inference.Model;
        var errors = new List<string>();
        var warnings = new List<string>();
        var stature = model.IndexOf("stature");
        foreach (var (column, value) in given.OrderBy(p => p.Key))
        {
            var name = model.Names[column];
            var marginal = model.Marginals[column];
            if (!double.IsFinite(value) || value <= 0)
            {
                errors.Add($"{name} {Format(value)} must be a positive number ({Unit(name)})");
                continue;
            }

            // Checked first, and only against a stature plausible itself: "swapped" is the likelier story then.
            if (column != stature && name.Contains("height", StringComparison.Ordinal) && given.TryGetValue(stature, out var tall)
                && value >= tall && Math.Abs(model.Marginals[stature].Score(tall)) <= RefuseZ)
            {
                errors.Add($"{name} {Format(value)} is not below stature {Format(tall)} (swapped columns?)");
                continue;
            }

            var z = marginal.Score(value);
            if (Math.Abs(z) > RefuseZ)
            {
                errors.Add($"{name} {Format(value)} is outside the plausible range {Range(marginal, 0, 1)} {Unit(name)}{UnitHint(name, marginal, value)}");
                continue;
            }

            if (Math.Abs(z) > WarnZ)
            {
                warnings.Add($"{name} {Format(value)} is unusual: plausible range {Range(marginal, 0, 1)} {Unit(name)}");
            }
        }

        // Consistency only among values that passed alone: one wrong value should not make the others look wrong.
        if (errors.Count == 0 && given.Count > 1)
        {
            foreach (var column in given.Keys.Order())
            {
                var (z, mean, sd) = inference.Surprise(given, column);
                var name = model.Names[column];
                var others = string.Join(", ", given.Keys.Where(k => k != column).Order().Select(k => model.Names[k]));
                if (Math.Abs(z) > RefuseZ)
                {
                    errors.Add($"{name} {Format(given[column])} is inconsistent with the other measurements ({others}): plausible range with them {Range(model.Marginals[column], mean, sd)} {Unit(name)}");
                }
                else if (Math.Abs(z) > WarnZ)
                {
                    warnings.Add($"{name} {Format(given[column])} is unusual next to {others}: plausible range with them {Range(model.Marginals[column], mean, sd)} {Unit(name)}");
                }
            }
        }

        return new PlausibilityResult(errors, warnings);
    }

    private static string UnitHint(string name, Marginal marginal, double value)
    {
        if (name == "weightkg")
        {
            return Ordinary(marginal, value * 10) ? " (looks like kilograms: weightkg is in tenths of a kilogram)" : "";
        }

        return Ordinary(marginal, value * 25.4) ? " (looks like inches: values are in millimetres)"
            : Ordinary(marginal, value * 10) ? " (looks like centimetres: values are in millimetres)"
            : "";
    }

    private static bool Ordinary(Marginal marginal, double value) => Math.Abs(marginal.Score(value)) <= WarnZ;

    private static string Range(Marginal marginal, double mean, double sd) =>
        $"{Format(marginal.Quantile(mean - RefuseZ * sd))}..{Format(marginal.Quantile(mean + RefuseZ * sd))}";

    private static string Unit(string name) => name == "weightkg" ? "tenths of a kg" : "mm";

    private static string Format(double value) => Math.Round(value).ToString(CultureInfo.InvariantCulture);
}
