using System.CommandLine;
using System.Globalization;
using System.Text;
using Millwright.Tailoring;
using Millwright.Tailoring.Sizing;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright c2m size INPUT.csv --sex male|female -o OUTPUT.csv</c>: per body (completed as <c>infer</c> does),
/// the best base size of the sex's chart and, per control measurement, the size's value and the alteration from it.
/// </summary>
internal static class C2mSize
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT") { Description = "CSV: id and any ANSUR II measurement columns (mm; weightkg in tenths of a kg)" };
        var sex = new Option<string>("--sex") { Description = "male (menswear chart) or female (womenswear chart)", Required = true };
        sex.AcceptOnlyFromAmong("male", "female");
        var output = new Option<string>("-o") { Description = "Output CSV", Required = true };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("size", "Best base size and alterations per body (ISO 8559-2 style charts)");
        command.Arguments.Add(input);
        command.Options.Add(sex);
        command.Options.Add(output);
        command.Options.Add(ansur);
        command.SetAction(result => Run(result.GetValue(input)!, result.GetValue(sex) == "male" ? Sex.Male : Sex.Female, result.GetValue(output)!, result.GetValue(ansur)));
        return command;
    }

    private static int Run(string inputPath, Sex sex, string outputPath, string? ansur)
    {
        if (C2mCommand.CompleteBodies(inputPath, sex, ansur) is not { } bodies)
        {
            return ExitCodes.InvalidInput;
        }

        var chart = SizeCharts.For(sex);
        var csv = new StringBuilder("id,chart,size");
        foreach (var control in chart.Controls)
        {
            csv.Append(CultureInfo.InvariantCulture, $",size_{control.Name},alteration_{control.Name}");
        }

        csv.Append('\n');
        foreach (var (row, body) in bodies)
        {
            var fit = chart.Fit(body.Values);
            csv.Append(row.Id.IndexOfAny([',', '"', '\n', '\r']) < 0 ? row.Id : "\"" + row.Id.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            csv.Append(',').Append(chart.Name).Append(',').Append(fit.Size.Designation);
            for (var i = 0; i < chart.Controls.Count; i++)
            {
                // Adding +0.0 turns a rounded -0 into 0.
                csv.Append(CultureInfo.InvariantCulture, $",{Math.Round(fit.Size.Values[i]) + 0.0},{Math.Round(fit.Alterations[i]) + 0.0}");
            }

            csv.Append('\n');
        }

        try
        {
            var temp = outputPath + ".tmp";
            File.WriteAllText(temp, csv.ToString());
            File.Move(temp, outputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"millwright: cannot write {outputPath}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        Console.Out.WriteLine($"{bodies.Count} bodies sized on the {chart.Name} chart: {outputPath}");
        return ExitCodes.Ok;
    }
}
