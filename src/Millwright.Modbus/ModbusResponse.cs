namespace Millwright.Modbus;

/// <summary>A validated response. Reads carry bits or registers; writes carry the echoed address and value or quantity.</summary>
internal sealed record ModbusResponse(
    ModbusFunction Function,
    ushort TransactionId,
    byte UnitId,
    bool[]? Bits = null,
    ushort[]? Registers = null,
    ushort Address = 0,
    ushort ValueOrQuantity = 0);
