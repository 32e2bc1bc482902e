namespace Millwright.Benchmarks;

/// <summary>
/// One hour of 1 Hz machine telemetry shaped like the virtual factory's CNC machine reports it
/// (src/Millwright.Simulator/Models/CncMachine.cs): triangular noise, Math.Round to 1-3 places, timestamps in
/// milliseconds that jitter by up to 3 ms.
/// </summary>
internal static class TelemetrySeries
{
    public const int Points = 3600;

    public static readonly string[] NumberNames = ["spindle_speed", "power", "energy", "part_count", "alarm_code", "running"];

    public static long[] Timestamps(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Points).Select(i => 1_763_790_000_000L + (i * 1000L) + random.Next(-3, 4))];
    }

    public static double[] Numbers(string name, int seed)
    {
        var random = new Random(seed);
        double Noisy(double centre, double spread) => centre + (spread * (random.NextDouble() + random.NextDouble() - 1));
        var values = new double[Points];
        double energy = 1234.567, parts = 18_211;
        for (var i = 0; i < Points; i++)
        {
            // A program change after 40 minutes: another spindle speed, five minutes stopped.
            var stopped = i is >= 2400 and < 2700;
            var load = stopped ? 0 : Noisy(55, 25);
            var power = stopped ? 2.5 : 3 + (30 * load / 100);
            energy += power / 3600;
            parts += !stopped && i % 97 == 0 ? 1 : 0;
            values[i] = name switch
            {
                "spindle_speed" => stopped ? 0 : Math.Round(Noisy(i < 2400 ? 12000 : 8000, 150), 1),
                "power" => Math.Round(power, 2),
                "energy" => Math.Round(energy, 3, MidpointRounding.ToZero),
                "part_count" => parts,
                "alarm_code" => 0,
                "running" => stopped ? 0 : 1,
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
        }

        return values;
    }

    public static string[] Program() => [.. Enumerable.Range(0, Points).Select(i => i < 2400 ? "O1234" : "O5678")];
}
