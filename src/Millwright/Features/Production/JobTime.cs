namespace Millwright.Features.Production;

/// <summary>
/// A job's time on one machine: the machine makes <see cref="PerRun"/> units at once (heads, cavities), the first run
/// takes <see cref="FirstMs"/> (it may include threading or loading the job's first run needs) and each further run
/// <see cref="NextMs"/>. The job's setup is separate, as for any job.
/// </summary>
internal sealed record JobTime(long FirstMs, long NextMs, int PerRun)
{
    /// <summary>Milliseconds for <paramref name="units"/> units.</summary>
    public long For(long units)
    {
        var runs = (Math.Max(1, units) + Math.Max(1, PerRun) - 1) / Math.Max(1, PerRun);
        return FirstMs + ((runs - 1) * NextMs);
    }
}
