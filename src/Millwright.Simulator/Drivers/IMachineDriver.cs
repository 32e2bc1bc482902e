namespace Millwright.Simulator.Drivers;

/// <summary>
/// One machine's connection to the platform. The runner calls <see cref="ConnectAsync"/>, then
/// <see cref="SendAsync"/> every tick; an exception from either means the connection is lost, and the runner
/// disposes the driver's connection, waits its back-off and connects again.
/// </summary>
internal interface IMachineDriver : IAsyncDisposable
{
    Protocol Protocol { get; }

    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Sends the values; returns how many messages went out (none from Sparkplug when nothing changed, none from Modbus).</summary>
    Task<int> SendAsync(IReadOnlyDictionary<string, object> values, DateTimeOffset timestamp, CancellationToken cancellationToken);

    /// <summary>Drops the connection (if any) so that the next <see cref="ConnectAsync"/> starts afresh.</summary>
    Task CloseAsync();
}
