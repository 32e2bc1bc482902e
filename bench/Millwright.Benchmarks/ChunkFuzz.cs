using System.Diagnostics;
using System.Globalization;
using Millwright.Storage.Tests.TimeSeries;

namespace Millwright.Benchmarks;

/// <summary>
/// `chunk-fuzz [cases] [seed]`: the unit test's chunk fuzzing (same engine, seeds and checks) for as long as
/// one likes. Prints the first input that breaks a promise, as hex, and exits 1.
/// </summary>
internal static class ChunkFuzz
{
    public static int Run(string[] args)
    {
        var cases = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000L;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var engine = ChunkFuzzTargets.Engine(seed);
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        for (var n = 0L; n < cases; n++)
        {
            var (_, input) = engine.Next();
            try
            {
                accepted += ChunkFuzzTargets.Check(input);
            }
#pragma warning disable CA1031 // Catching everything is the point: any other exception is the crash we look for.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"CRASH at case {n:N0} (seed {seed}): {e}\n  input {Convert.ToHexString(input)}");
                return 1;
            }
        }

        Console.WriteLine($"chunk fuzz: {cases:N0} cases, seed {seed}, {accepted:N0} decodes accepted, {cases / clock.Elapsed.TotalSeconds:N0} cases/s, no crash");
        return 0;
    }
}
