namespace Millwright.Features.Anomalies;

/// <summary>Platform options of anomaly detection; one instance, set by the platform's operator, not by tenants.</summary>
internal sealed record AnomalyOptions
{
    /// <summary>Off: the observer ignores telemetry (nothing learned, nothing raised); the REST routes still answer.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How often learned detector state is written to the store (and always at shutdown).</summary>
    public TimeSpan SaveEvery { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often finished minutes of the expected-value band are written to the store.</summary>
    public TimeSpan BandFlushEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long stored band minutes are kept (the machine page asks for at most 31 days).</summary>
    public TimeSpan BandRetention { get; init; } = TimeSpan.FromDays(31);

    /// <summary>Readings this soon after a state change are start-up or run-down transients: neither scored nor learned.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest real time a batch of messages waits for the state tracker to have applied them (so each is judged in its own state).</summary>
    public TimeSpan StateWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Committed messages waiting for the detectors; a full queue slows the pipeline (back-pressure, not loss).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Ordinary readings in a row after which an open anomaly alarm clears.</summary>
    public int ClearAfter { get; init; } = 10;
}
