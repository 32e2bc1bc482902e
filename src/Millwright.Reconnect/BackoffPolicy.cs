namespace Millwright.Reconnect;

/// <summary>
/// How a lost link is retried: the n-th consecutive failure waits <see cref="Initial"/> · 2^(n-1), capped at
/// <see cref="Max"/>, shortened by a random fraction up to <see cref="Jitter"/> (so that many links lost with the same
/// gateway or network do not reconnect in lockstep). The count starts again only after the link stayed healthy for
/// <see cref="HealthyPeriod"/>: a server that accepts and then breaks at once keeps its growing wait.
/// </summary>
/// <remarks>
/// Jitter only shortens, and at most by half, so the waits still grow: the second is at least 2 · (1 - Jitter) times the
/// first ceiling, which is more than the first wait whenever Jitter &lt; 0.5.
/// </remarks>
public sealed record BackoffPolicy(TimeSpan Initial, TimeSpan Max, double Jitter, TimeSpan HealthyPeriod)
{
    /// <summary>1 s doubling to 60 s, up to 20 % shorter, reset after 30 s of health.</summary>
    public static BackoffPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 0.2, TimeSpan.FromSeconds(30));

    /// <summary>The wait before the attempt after <paramref name="failures"/> consecutive failures; <paramref name="draw"/> is in [0, 1).</summary>
    public TimeSpan Delay(int failures, double draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failures);
        var ceiling = Math.Min(Max.Ticks, Initial.Ticks * Math.Pow(2, Math.Min(failures - 1, 30)));
        var shortening = Math.Clamp(Jitter, 0, 0.5) * Math.Clamp(draw, 0, 1);
        return TimeSpan.FromTicks((long)(ceiling * (1 - shortening)));
    }

    /// <summary>The policy's own rules, checked once where it is configured.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Initial, TimeSpan.Zero, nameof(Initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(Max, Initial, nameof(Max));
        ArgumentOutOfRangeException.ThrowIfLessThan(HealthyPeriod, TimeSpan.Zero, nameof(HealthyPeriod));
        if (Jitter is < 0 or >= 0.5 || double.IsNaN(Jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter is a fraction from 0 to below 0.5.");
        }
    }
}
