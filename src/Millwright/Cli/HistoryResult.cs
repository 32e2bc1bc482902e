namespace Millwright.Cli;

/// <summary>What <see cref="DemoHistory"/> wrote: the simulated span, the messages and points stored, the orders completed in it, and how long it took.</summary>
internal sealed record HistoryResult(DateTimeOffset From, DateTimeOffset To, DateTimeOffset PolicyChangedAt, long Messages, long Points, long Refused, string? FirstRefusal,
    int Orders, TimeSpan Elapsed)
{
    public double PointsPerSecond => Elapsed > TimeSpan.Zero ? Points / Elapsed.TotalSeconds : 0;
}
