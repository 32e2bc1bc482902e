using System.CommandLine;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary><c>millwright c2m</c>: made-to-measure (docs/made-to-measure.md): the body population, its report, inference.</summary>
internal static class C2mCommand
{
    public static Command Create()
    {
        var command = new Command("c2m", "Made-to-measure: generate the body population, report the model's fit, infer full bodies, size them, draft and nest their patterns");
        command.Subcommands.Add(C2mPopulation.Create());
        command.Subcommands.Add(C2mReport.Create());
        command.Subcommands.Add(C2mInfer.Create());
        command.Subcommands.Add(C2mEvaluate.Create());
        command.Subcommands.Add(C2mSize.Create());
        command.Subcommands.Add(C2mPattern.Create());
        command.Subcommands.Add(C2mNesting.Create());
        return command;
    }

    /// <summary>--ansur: where the ANSUR II CSV files are; found automatically in the shared checkout layout.</summary>
    public static Option<string?> AnsurOption() => new("--ansur")
    {
        Description = $"Directory of {Ansur.MaleFile} and {Ansur.FemaleFile} (default: ${Ansur.DirectoryVariable}, else shared/data/anthropometry above the working directory)",
    };

    /// <summary>
    /// The customers' rows of INPUT, parsed and checked for plausibility against the sex's fitted model: null after
    /// printing every refusal (with its line) when the file cannot be read or any row is refused; warnings are
    /// printed and the row kept.
    /// </summary>
    public static (BodyInference Inference, IReadOnlyList<CustomerRow> Rows)? CheckedRows(string inputPath, Sex sex, string? ansur)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(inputPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"millwright: cannot read {inputPath}: {e.Message}");
            return null;
        }

        if (LoadSamples(ansur, Console.Error) is not var (male, female))
        {
            return null;
        }

        var sample = sex == Sex.Male ? male : female;
        var inference = new BodyInference(PopulationModel.Fit(sample), sample);
        IReadOnlyList<CustomerRow> rows;
        try
        {
            rows = CustomerCsv.Parse(bytes, inference.Model);
        }
        catch (CsvFormatException e)
        {
            Console.Error.WriteLine($"millwright: {inputPath}: {e.Message}");
            return null;
        }

        var plausibility = new Plausibility(inference);
        var refused = false;
        foreach (var row in rows)
        {
            var check = plausibility.Check(row.Given);
            foreach (var error in check.Errors)
            {
                Console.Error.WriteLine($"millwright: {inputPath}: line {row.Line} (id {row.Id}): refused: {error}");
                refused = true;
            }

            foreach (var warning in check.Warnings)
            {
                Console.Error.WriteLine($"millwright: {inputPath}: line {row.Line} (id {row.Id}): warning: {warning}");
            }
        }

        return refused ? null : (inference, rows);
    }

    /// <summary>
    /// Reads a customer file and completes every body by inference (given values kept), refusing the file, with each
    /// refusal printed by line, if any row is implausible; null after printing why when nothing can be drafted.
    /// </summary>
    public static IReadOnlyList<(CustomerRow Row, Millwright.Tailoring.Patterns.Measurements Body)>? CompleteBodies(string inputPath, Sex sex, string? ansur)
    {
        if (CheckedRows(inputPath, sex, ansur) is not var (inference, rows))
        {
            return null;
        }

        var names = inference.Model.Names;
        return rows.Select(row =>
        {
            var values = inference.Infer(row.Given).Values;
            var body = new Millwright.Tailoring.Patterns.Measurements(names.Select((n, j) => new KeyValuePair<string, double>(n, values[j])).Where(kv => kv.Key != PopulationModel.AgeColumn));
            return (row, body);
        }).ToArray();
    }

    /// <summary>Both sexes' samples; null and a message naming the file when they cannot be read.</summary>
    public static (BodySample Male, BodySample Female)? LoadSamples(string? directory, TextWriter errors)
    {
        directory ??= Ansur.FindDirectory();
        if (directory is null)
        {
            errors.WriteLine($"millwright: the ANSUR II data set was not found; give --ansur DIR or set {Ansur.DirectoryVariable}");
            return null;
        }

        try
        {
            return (Ansur.Load(directory, Sex.Male), Ansur.Load(directory, Sex.Female));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"millwright: cannot read the ANSUR II data in {directory}: {e.Message}");
        }
        catch (CsvFormatException e)
        {
            errors.WriteLine($"millwright: the ANSUR II data in {directory} is malformed: {e.Message}");
        }

        return null;
    }
}
