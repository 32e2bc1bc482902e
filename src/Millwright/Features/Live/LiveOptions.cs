namespace Millwright.Features.Live;

/// <summary>
/// The live feed's limits. Each bounds what one dashboard can make the server hold, so that a slow or
/// hostile client costs a known amount of memory and never slows the telemetry pipeline.
/// </summary>
internal sealed record LiveOptions
{
    /// <summary>Open live connections one tenant may hold at once; more are refused with 1008.</summary>
    public int MaxConnectionsPerTenant { get; init; } = 100;

    /// <summary>Machines one connection may cover, directly or through its lines and sites.</summary>
    public int MaxMachinesPerConnection { get; init; } = 10_000;

    /// <summary>
    /// Distinct (machine, tag) values a connection may have waiting to be sent. Beyond it the waiting values
    /// are dropped and the connection gets a fresh snapshot instead, which is the same newest state.
    /// </summary>
    public int MaxPendingValues { get; init; } = 100_000;

    /// <summary>Largest client message; a larger one closes the connection with 1009.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024;

    /// <summary>Bad client messages (malformed, unknown fields, unknown ids do not count) before the connection is closed with 1008.</summary>
    public int MaxBadMessages { get; init; } = 5;

    /// <summary>How long a browser has to send <c>{"key": "..."}</c> after connecting.</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a connection checks its key again (a revoked key is closed) and re-reads the machines
    /// under its lines and sites (a machine added to a watched line is covered from then on).
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first limit out of range.</summary>
    public void Validate()
    {
        Require(MaxConnectionsPerTenant is >= 1 and <= 100_000, "MaxConnectionsPerTenant must be between 1 and 100000.");
        Require(MaxMachinesPerConnection is >= 1 and <= 1_000_000, "MaxMachinesPerConnection must be between 1 and 1000000.");
        Require(MaxPendingValues is >= 16 and <= 10_000_000, "MaxPendingValues must be between 16 and 10000000.");
        Require(MaxMessageBytes is >= 256 and <= 1 << 20, "MaxMessageBytes must be between 256 bytes and 1 MiB.");
        Require(MaxBadMessages is >= 1 and <= 1000, "MaxBadMessages must be between 1 and 1000.");
        Require(AuthTimeout > TimeSpan.Zero && AuthTimeout <= TimeSpan.FromMinutes(5), "AuthTimeout must be positive and at most 5 minutes.");
        Require(RefreshInterval >= TimeSpan.FromMilliseconds(10) && RefreshInterval <= TimeSpan.FromHours(1), "RefreshInterval must be between 10 ms and 1 hour.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
