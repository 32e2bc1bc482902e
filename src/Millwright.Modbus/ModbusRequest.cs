namespace Millwright.Modbus;

/// <summary>
/// What a client asked for, kept to check the response against: for reads and multiple writes the quantity,
/// for single writes the value that must be echoed (application protocol 6.5 and 6.6).
/// </summary>
internal readonly record struct ModbusRequest(ModbusFunction Function, ushort Address, ushort Quantity, ushort Value = 0);
