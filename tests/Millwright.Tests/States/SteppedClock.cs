namespace Millwright.Tests.States;

/// <summary>A clock the test sets by hand; the tracker reads only the time from it (its timer is not run here).</summary>
internal sealed class SteppedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
