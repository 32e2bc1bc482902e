using System.CommandLine;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary><c>millwright c2m report</c>: the population model's fit against the real bodies, as Markdown.</summary>
internal static class C2mReport
{
    public static Command Create()
    {
        var draws = new Option<int>("--draws") { Description = "Bodies drawn per model and sex", DefaultValueFactory = _ => 200_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the draws and of the 80/20 split", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("-o") { Description = "Write the Markdown here instead of standard output" };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("report", "Compare generated bodies with the real ones: means, SDs, correlations, 1st/50th/99th percentiles");
        foreach (var option in new Option[] { draws, seed, output, ansur })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            if (result.GetValue(draws) is < 1000 or > 10_000_000)
            {
                Console.Error.WriteLine("millwright: --draws must be 1000..10000000");
                return ExitCodes.Usage;
            }

            if (C2mCommand.LoadSamples(result.GetValue(ansur), Console.Error) is not var (male, female))
            {
                return ExitCodes.InvalidInput;
            }

            var markdown = ModelReport.Write(male, female, result.GetValue(draws), result.GetValue(seed));
            if (result.GetValue(output) is { } path)
            {
                File.WriteAllText(path, markdown);
            }
            else
            {
                Console.Out.Write(markdown);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
