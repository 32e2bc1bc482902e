using System.CommandLine;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary><c>millwright c2m</c>: made-to-measure (docs/made-to-measure.md): the body population, its report, inference.</summary>
internal static class C2mCommand
{
    public static Command Create()
    {
        var command = new Command("c2m", "Made-to-measure: generate the body population, report the model's fit, infer full bodies from a few measurements");
        command.Subcommands.Add(C2mPopulation.Create());
        command.Subcommands.Add(C2mReport.Create());
        command.Subcommands.Add(C2mInfer.Create());
        command.Subcommands.Add(C2mEvaluate.Create());
        return command;
    }

    /// <summary>--ansur: where the ANSUR II CSV files are; found automatically in the shared checkout layout.</summary>
    public static Option<string?> AnsurOption() => new("--ansur")
    {
        Description = $"Directory of {Ansur.MaleFile} and {Ansur.FemaleFile} (default: ${Ansur.DirectoryVariable}, else shared/data/anthropometry above the working directory)",
    };

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
