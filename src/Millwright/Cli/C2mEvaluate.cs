using System.CommandLine;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary><c>millwright c2m evaluate</c>: inference accuracy against OLS on held-out rows, as a Markdown table.</summary>
internal static class C2mEvaluate
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the 80/20 split", DefaultValueFactory = _ => 1 };
        var fifth = new Option<bool>("--fifth") { Description = "Also measure what a fifth input (hip, inside leg, arm length or waist height) buys over the four" };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("evaluate", "Held-out accuracy of infer (stature, weightkg, chest and waist given) against ordinary least squares");
        command.Options.Add(seed);
        command.Options.Add(fifth);
        command.Options.Add(ansur);
        command.SetAction(result =>
        {
            if (C2mCommand.LoadSamples(result.GetValue(ansur), Console.Error) is not var (male, female))
            {
                return ExitCodes.InvalidInput;
            }

            Console.Out.Write(InferenceEvaluation.Write(male, female, result.GetValue(seed)));
            if (result.GetValue(fifth))
            {
                Console.Out.WriteLine();
                Console.Out.Write(InferenceEvaluation.WriteFifth(male, female, result.GetValue(seed)));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
