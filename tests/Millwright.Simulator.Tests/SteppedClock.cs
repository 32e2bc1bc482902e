namespace Millwright.Simulator.Tests;

/// <summary>A clock that moves only when a test says so; the models read it, nothing here sleeps.</summary>
internal sealed class SteppedClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 6, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
