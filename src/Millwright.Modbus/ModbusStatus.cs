namespace Millwright.Modbus;

/// <summary>
/// A machine's connection status, published on every failed poll and on the first good poll after a failure
/// (or the start). <see cref="RetryIn"/> is the back-off before the next attempt when the connection was lost.
/// </summary>
public sealed record ModbusStatus(
    string MachineKey,
    DateTimeOffset Timestamp,
    ModbusHealth Health,
    string? Detail = null,
    ModbusExceptionCode? ExceptionCode = null,
    int ConsecutiveFailures = 0,
    TimeSpan? RetryIn = null);
