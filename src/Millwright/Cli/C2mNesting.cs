using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Millwright.Tailoring;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Patterns;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright c2m nesting --sex male|female --garment G</c>: drafts the garment for real ANSUR II bodies (spread
/// evenly over the survey's rows) and nests each one's pieces twice, greedy bottom-left and with the search over the
/// placement order (<see cref="MarkerSearch"/>), printing each marker's efficiency and the means: how much fabric the
/// search saves on real orders' pieces (docs/benchmarks.md).
/// </summary>
internal static class C2mNesting
{
    public static Command Create()
    {
        var sex = new Option<string>("--sex") { Description = "male or female", Required = true };
        sex.AcceptOnlyFromAmong("male", "female");
        var garment = new Option<string>("--garment") { Description = "jacket or trousers (menswear), skirt or trousers (womenswear)", Required = true };
        garment.AcceptOnlyFromAmong([.. GarmentBlocks.All]);
        var bodies = new Option<int>("--bodies") { Description = "How many real bodies to draft (spread over the survey)", DefaultValueFactory = _ => 20 };
        var evaluations = new Option<int>("--evaluations") { Description = "Placement orders the search tries per marker", DefaultValueFactory = _ => MarkerSearch.DefaultEvaluations };
        var width = new Option<double>("--fabric-width") { Description = "Usable fabric width in mm", DefaultValueFactory = _ => 1500 };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("nesting", "Compare greedy bottom-left nesting with the search over placement orders on real bodies' garments");
        foreach (var option in new Option[] { sex, garment, bodies, evaluations, width, ansur })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => Run(result.GetValue(sex) == "male" ? Sex.Male : Sex.Female, result.GetValue(garment)!, result.GetValue(bodies), result.GetValue(evaluations),
            result.GetValue(width), result.GetValue(ansur)));
        return command;
    }

    private static int Run(Sex sex, string garmentName, int count, int evaluations, double width, string? ansur)
    {
        if (count is < 1 or > 10_000 || evaluations is < 0 or > 100_000 || width is < 300 or > 5000)
        {
            Console.Error.WriteLine("millwright: --bodies 1-10000, --evaluations 0-100000, --fabric-width 300-5000 mm");
            return ExitCodes.InvalidInput;
        }

        if (!GarmentBlocks.For(sex).Contains(garmentName))
        {
            Console.Error.WriteLine($"millwright: there is no {(sex == Sex.Male ? "menswear" : "womenswear")} {garmentName} block: --garment {string.Join(" or ", GarmentBlocks.For(sex))}");
            return ExitCodes.InvalidInput;
        }

        if (C2mCommand.LoadSamples(ansur, Console.Error) is not var (male, female))
        {
            return ExitCodes.InvalidInput;
        }

        var sample = sex == Sex.Male ? male : female;
        count = Math.Min(count, sample.Count);
        var (greedyTotal, searchTotal, greedyLength, searchLength) = (0.0, 0.0, 0.0, 0.0);
        var (greedyTime, searchTime) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var row = (int)((long)i * sample.Count / count);
            var body = new Measurements(sample.Names.Select((n, j) => new KeyValuePair<string, double>(n, sample.Rows[row][j])));
            var garment = GarmentBlocks.Draft(garmentName, sex, body);
            var clock = Stopwatch.StartNew();
            var greedy = BottomLeftNester.Nest(garment.Pieces, width);
            greedyTime += clock.Elapsed;
            clock.Restart();
            var searched = MarkerSearch.Nest(garment.Pieces, width, evaluations);
            searchTime += clock.Elapsed;
            (greedyTotal, searchTotal, greedyLength, searchLength) = (greedyTotal + greedy.Efficiency, searchTotal + searched.Efficiency, greedyLength + greedy.Length, searchLength + searched.Length);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{i + 1}/{count}] subject {sample.Ids[row]}: greedy {greedy.Length:0} mm at {greedy.Efficiency:P1}, search {searched.Length:0} mm at {searched.Efficiency:P1}"));
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{garmentName} ({sex.ToString().ToLowerInvariant()}), {count} bodies, fabric {width:0} mm: mean efficiency greedy {greedyTotal / count:P2}, search {searchTotal / count:P2} "
            + $"({evaluations} orders tried); mean marker greedy {greedyLength / count:0} mm, search {searchLength / count:0} mm ({(1 - (searchLength / greedyLength)):P2} shorter); "
            + $"time per marker greedy {greedyTime.TotalMilliseconds / count:0} ms, search {searchTime.TotalMilliseconds / count:0} ms"));
        return ExitCodes.Ok;
    }
}
