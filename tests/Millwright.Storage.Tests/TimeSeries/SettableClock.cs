namespace Millwright.Storage.Tests.TimeSeries;

/// <summary>A clock the test sets by hand; the store only reads the time.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public long NowMs
    {
        get => Now.ToUnixTimeMilliseconds();
        set => Now = DateTimeOffset.FromUnixTimeMilliseconds(value);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
