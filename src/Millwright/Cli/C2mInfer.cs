using System.CommandLine;
using System.Globalization;
using System.Text;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright c2m infer INPUT.csv --sex male|female -o OUTPUT.csv</c>: completes each customer's body from the
/// measurements given (docs/made-to-measure.md). Every row is checked first; one refused row refuses the file (each
/// refusal printed with its line) and nothing is written; warnings go to stderr and the row is kept.
/// </summary>
internal static class C2mInfer
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT") { Description = "CSV: id and any ANSUR II measurement columns (mm; weightkg in tenths of a kg)" };
        var sex = new Option<string>("--sex") { Description = "male or female", Required = true };
        sex.AcceptOnlyFromAmong("male", "female");
        var output = new Option<string>("-o") { Description = "Output CSV", Required = true };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("infer", "Infer every measurement (with a 90 % interval for the tailoring ones) from the few given");
        command.Arguments.Add(input);
        command.Options.Add(sex);
        command.Options.Add(output);
        command.Options.Add(ansur);
        command.SetAction(result => Run(result.GetValue(input)!, result.GetValue(sex) == "male" ? Sex.Male : Sex.Female, result.GetValue(output)!, result.GetValue(ansur)));
        return command;
    }

    private static int Run(string inputPath, Sex sex, string outputPath, string? ansur)
    {
        if (C2mCommand.CheckedRows(inputPath, sex, ansur) is not var (inference, rows))
        {
            return ExitCodes.InvalidInput;
        }

        var csv = Write(inference, rows);
        try
        {
            var temp = outputPath + ".tmp";
            File.WriteAllText(temp, csv);
            File.Move(temp, outputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"millwright: cannot write {outputPath}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        Console.Out.WriteLine($"{rows.Count} bodies inferred ({sex.ToString().ToLowerInvariant()}): {outputPath}");
        return ExitCodes.Ok;
    }

    private static string Write(BodyInference inference, IReadOnlyList<CustomerRow> rows)
    {
        var model = inference.Model;
        var measurements = Enumerable.Range(0, model.Dimension).Where(j => model.Names[j] != PopulationModel.AgeColumn).ToArray();
        var intervals = Ansur.TailoringMeasurements.Select(model.IndexOf).ToArray();
        var csv = new StringBuilder();
        csv.Append("id");
        foreach (var j in measurements)
        {
            csv.Append(',').Append(model.Names[j]);
        }

        foreach (var j in intervals)
        {
            csv.Append(",lo90_").Append(model.Names[j]).Append(",hi90_").Append(model.Names[j]);
        }

        csv.Append('\n');
        foreach (var row in rows)
        {
            var body = inference.Infer(row.Given);
            csv.Append(Quote(row.Id));
            foreach (var j in measurements)
            {
                csv.Append(',').Append(row.Text.TryGetValue(j, out var text) ? Quote(text) : Number(body.Values[j]));
            }

            foreach (var j in intervals)
            {
                csv.Append(',').Append(body.Given[j] ? "" : Number(body.Low[j])).Append(',').Append(body.Given[j] ? "" : Number(body.High[j]));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Number(double value) => Math.Round(value).ToString(CultureInfo.InvariantCulture);

    private static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
