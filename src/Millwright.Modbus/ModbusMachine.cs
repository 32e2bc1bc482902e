namespace Millwright.Modbus;

/// <summary>One polled device: where it is, what to read, how often, and how long to wait for each answer.</summary>
public sealed record ModbusMachine(
    string Key,
    string Host,
    int Port,
    byte UnitId,
    ModbusRegisterMap Map,
    TimeSpan Interval,
    TimeSpan Timeout);
