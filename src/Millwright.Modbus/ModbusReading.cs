namespace Millwright.Modbus;

/// <summary>The values of one poll (tag → engineering value; bits as 0 or 1).</summary>
public sealed record ModbusReading(string MachineKey, DateTimeOffset Timestamp, IReadOnlyDictionary<string, double> Values);
