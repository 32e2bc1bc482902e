namespace Millwright.Cli;

/// <summary>
/// Simulated time for writing history: it stands still until set, so the virtual factory's machines run through
/// days of their past in as little wall time as the computer needs. Only its owner's loop sets it.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public void Set(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;
}
