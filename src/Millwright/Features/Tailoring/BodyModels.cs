using Millwright.Api;
using Millwright.Tailoring;

namespace Millwright.Features.Tailoring;

/// <summary>
/// The fitted population model per sex, and the checks a customer's measurements go through before anything is
/// stored or drafted: names, numbers, then plausibility (alone and jointly, docs/made-to-measure.md "Inference").
/// Fitting reads the ANSUR II files and takes a second or two, so it happens once per sex, on first use.
/// </summary>
internal sealed class BodyModels(TailoringOptions options)
{
    /// <summary>Most measurements one customer may give: every column of the data set is 93.</summary>
    private const int MaxGiven = 100;

    private readonly Lazy<(BodyInference Inference, Plausibility Plausibility)> _male = new(() => Fit(options, Sex.Male));
    private readonly Lazy<(BodyInference Inference, Plausibility Plausibility)> _female = new(() => Fit(options, Sex.Female));

    /// <summary>A checked and completed body: the given values, every measurement, and the warnings of borderline values.</summary>
    public sealed record Completed(Sex Sex, IReadOnlyDictionary<string, double> Given, IReadOnlyDictionary<string, double> All, IReadOnlyList<string> Warnings);

    public static Sex? ParseSex(string? text) => text?.ToLowerInvariant() switch
    {
        "male" => Sex.Male,
        "female" => Sex.Female,
        _ => null,
    };

    public static string Name(Sex sex) => sex == Sex.Male ? "male" : "female";

    /// <summary>
    /// Checks <paramref name="given"/> (ANSUR II names, mm; weightkg in tenths of a kg) and completes the body.
    /// Unknown names and missing values are a 400 naming <c>measurements.NAME</c>; an implausible or inconsistent
    /// value a 422 naming it with the plausible range.
    /// </summary>
    public Completed Complete(Sex sex, IReadOnlyDictionary<string, double>? given)
    {
        var (inference, plausibility) = Model(sex);
        var model = inference.Model;
        var v = new Validator();
        var columns = new Dictionary<int, double>();
        if (given is null || given.Count == 0)
        {
            v.Add("measurements", "at least one ANSUR II measurement is required, e.g. stature, weightkg, chestcircumference, waistcircumference");
        }
        else if (given.Count > MaxGiven)
        {
            v.Add("measurements", $"at most {MaxGiven} measurements");
        }
        else
        {
            foreach (var (name, value) in given)
            {
                var column = model.IndexOf(name);
                if (column < 0 || name.Equals(PopulationModel.AgeColumn, StringComparison.OrdinalIgnoreCase))
                {
                    v.Add($"measurements.{name}", "is not an ANSUR II measurement name (mm; weightkg in tenths of a kg)");
                }
                else if (!columns.TryAdd(column, value))
                {
                    v.Add($"measurements.{name}", "is given twice");
                }
            }
        }

        v.ThrowIfInvalid();
        var check = plausibility.Check(columns);
        if (!check.Accepted)
        {
            // Every message starts with the measurement's name (Plausibility's wording), which is the field to name.
            var errors = check.Errors.GroupBy(e => $"measurements.{e.Split(' ', 2)[0]}").ToDictionary(g => g.Key, g => g.ToArray());
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, "Implausible measurements", string.Join("; ", check.Errors), errors)
            {
                Extensions = new Dictionary<string, object?> { ["problem"] = "implausible" },
            };
        }

        var inferred = inference.Infer(columns);
        var all = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < model.Names.Count; j++)
        {
            if (model.Names[j] != PopulationModel.AgeColumn)
            {
                all[model.Names[j]] = Math.Round(inferred.Values[j], 1);
            }
        }

        var givenByName = columns.ToDictionary(c => model.Names[c.Key], c => c.Value, StringComparer.OrdinalIgnoreCase);
        return new Completed(sex, givenByName, all, check.Warnings);
    }

    private (BodyInference Inference, Plausibility Plausibility) Model(Sex sex)
    {
        try
        {
            return sex == Sex.Male ? _male.Value : _female.Value;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException or InvalidOperationException)
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Body model unavailable",
                $"The body model cannot be fitted: {e.Message}. The operator sets {Ansur.DirectoryVariable} to the ANSUR II directory.");
        }
    }

    private static (BodyInference, Plausibility) Fit(TailoringOptions options, Sex sex)
    {
        var directory = options.AnsurDirectory ?? Ansur.FindDirectory()
            ?? throw new InvalidOperationException("the ANSUR II data set was not found");
        var sample = Ansur.Load(directory, sex);
        var inference = new BodyInference(PopulationModel.Fit(sample), sample);
        return (inference, new Plausibility(inference));
    }
}
