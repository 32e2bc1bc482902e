using System.Globalization;

namespace Millwright.Fuzz;

internal sealed record FuzzOptions(long Cases, int Seed, int Threads, string OutDirectory, string? Replay)
{
    public static FuzzOptions? Parse(string[] args)
    {
        var options = new FuzzOptions(10_000_000, 1, Environment.ProcessorCount, "fuzz-crashes", null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                return null;
            }

            options = args[i] switch
            {
                "--cases" => options with { Cases = long.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = Math.Max(1, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--out" => options with { OutDirectory = value },
                "--replay" => options with { Replay = value },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }

            i++;
        }

        return options;
    }
}
