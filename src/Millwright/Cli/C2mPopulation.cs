using System.CommandLine;
using System.Diagnostics;
using Millwright.Tailoring;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright c2m population</c>: draws the platform-wide body database into DATA/c2m/bodies.mwb (one file for
/// all tenants: it is reference data, not anyone's customers). Refuses a size it cannot hold in memory before
/// allocating anything; the file appears only when complete (BodyFile writes a temporary file and renames it).
/// </summary>
internal static class C2mPopulation
{
    public static Command Create()
    {
        var size = new Option<long>("--size") { Description = "Number of bodies", DefaultValueFactory = _ => 2_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed, size and share give the same file", DefaultValueFactory = _ => 1 };
        var maleShare = new Option<double>("--male-share") { Description = "Share of men, 0..1", DefaultValueFactory = _ => 0.5 };
        var civilian = new Option<bool>("--civilian") { Description = "Shift age, BMI and stature to U.S. civilian adults (NHANES 2015-16; docs/made-to-measure.md)" };
        var data = new Option<string>("--data") { Description = "Data directory; the file is DATA/c2m/bodies.mwb", DefaultValueFactory = _ => "./data" };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("population", "Generate the body database from the population model, with a progress bar");
        foreach (var option in new Option[] { size, seed, maleShare, civilian, data, ansur })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) => Task.FromResult(Run(result.GetValue(size), result.GetValue(seed), result.GetValue(maleShare), result.GetValue(civilian),
            Path.GetFullPath(result.GetValue(data)!), result.GetValue(ansur), ct)));
        return command;
    }

    private static int Run(long size, ulong seed, double maleShare, bool civilian, string data, string? ansur, CancellationToken ct)
    {
        if (maleShare is not (>= 0 and <= 1))
        {
            Console.Error.WriteLine("millwright: --male-share must be between 0 and 1");
            return ExitCodes.Usage;
        }

        // Refused before the data set is even read: the check needs only the shape (93 measurements and age).
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (PopulationGenerator.RefusalFor(size, 94, available) is { } refusal)
        {
            Console.Error.WriteLine($"millwright: {refusal}");
            return ExitCodes.Usage;
        }

        if (C2mCommand.LoadSamples(ansur, Console.Error) is not var (maleSample, femaleSample))
        {
            return ExitCodes.InvalidInput;
        }

        var male = PopulationModel.Fit(maleSample);
        var female = PopulationModel.Fit(femaleSample);
        if (civilian)
        {
            male = CivilianAdjustment.Apply(male, CivilianTarget.UsAdults(Sex.Male));
            female = CivilianAdjustment.Apply(female, CivilianTarget.UsAdults(Sex.Female));
        }

        var path = BodyFile.PathUnder(data);
        var stopwatch = Stopwatch.StartNew();
        var chunks = (int)Math.Ceiling(size * maleShare / PopulationGenerator.ChunkSize) + (int)Math.Ceiling(size * (1 - maleShare) / PopulationGenerator.ChunkSize) + 1;
        BodyTable table;
        long done = 0;
        using (var bar = new ProgressBar(Console.Error, chunks, TimeSpan.FromSeconds(0.2)))
        {
            try
            {
                table = PopulationGenerator.Generate(male, female, (int)size, maleShare, seed,
                    n => bar.Begin($"{Interlocked.Add(ref done, n):N0} bodies"), ct);
                bar.Begin("writing");
                BodyFile.Write(table, path, ct);
            }
            catch (OperationCanceledException)
            {
                bar.Clear();
                Console.Error.WriteLine("millwright: cancelled; nothing was written");
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bar.Clear();
                Console.Error.WriteLine($"millwright: cannot write {path}: {e.Message}");
                return ExitCodes.StoreUnavailable;
            }

            bar.Clear();
        }

        var males = table.Sexes.Count(s => s == (byte)Sex.Male);
        Console.Out.WriteLine($"{table.Count:N0} bodies ({males:N0} men, {table.Count - males:N0} women{(civilian ? ", civilian adjustment" : "")}), " +
            $"{table.Names.Count} columns, seed {seed}: {path} ({new FileInfo(path).Length / (1 << 20):N0} MiB) in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return ExitCodes.Ok;
    }
}
