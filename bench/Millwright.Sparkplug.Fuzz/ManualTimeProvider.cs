namespace Millwright.Sparkplug.Fuzz;

/// <summary>A clock that moves only when told to, so fuzz runs and tests are deterministic and never sleep.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
