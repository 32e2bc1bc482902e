using System.Globalization;

namespace Millwright.Fuzz;

/// <summary>
/// `millwright-fuzz &lt;target&gt; [--seconds N] [--cases N] [--seed S] [--threads T] [--out DIR] [--replay FILE]`.
/// Without --seconds or --cases a run lasts 60 seconds; with both it stops at whichever comes first.
/// </summary>
internal sealed record FuzzOptions(string Target, double? Seconds, long? Cases, int Seed, int Threads, string OutDirectory, string? Replay)
{
    public TimeSpan? Duration => Seconds is { } s ? TimeSpan.FromSeconds(s) : Cases is null ? TimeSpan.FromSeconds(60) : null;

    public static FuzzOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var options = new FuzzOptions(args[0], null, null, 1, 1, "fuzz-crashes", null);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return null;
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
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
        }

        return options;
    }
}
