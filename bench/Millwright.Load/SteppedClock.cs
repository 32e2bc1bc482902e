namespace Millwright.Bench;

/// <summary>A clock the maintenance bench moves by hand: each simulated machine has one that runs only in production time.</summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
