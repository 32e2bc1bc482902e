namespace Millwright.Features.Modbus;

/// <summary>
/// A register the command map writes (or an answer register it reads): a command's member, its holding register
/// address, and its type: int16, uint16, int32, uint32, float32 or, for writes only, string (ASCII, two characters a
/// register, high byte first, <c>length</c> registers, padded with zeros). wordOrder for 32-bit values: abcd or cdab.
/// </summary>
internal sealed record ModbusCommandFieldInput(string? Member, int? Address, string? DataType, string? WordOrder, int? Length);

/// <summary>Where the machine answers: a status register whose codes name the answer's status, and registers for its other members.</summary>
internal sealed record ModbusAnswerInput(string? Area, int? StatusRegister, IReadOnlyDictionary<string, string>? Statuses, IReadOnlyList<ModbusCommandFieldInput>? Fields);

/// <summary>How a command becomes register writes (docs/modbus.md, "Commands"): its members' registers, then its type's code into the command register.</summary>
internal sealed record ModbusCommandMapInput(
    IReadOnlyList<ModbusCommandFieldInput>? Fields, int? CommandRegister, IReadOnlyDictionary<string, int>? Codes, ModbusAnswerInput? Answer);

internal sealed record ModbusCommandFieldDto(string Member, int Address, string DataType, string WordOrder, int Length);

internal sealed record ModbusAnswerDto(string Area, int StatusRegister, IReadOnlyDictionary<string, string> Statuses, IReadOnlyList<ModbusCommandFieldDto> Fields);

internal sealed record ModbusCommandMapDto(IReadOnlyList<ModbusCommandFieldDto> Fields, int CommandRegister, IReadOnlyDictionary<string, int> Codes, ModbusAnswerDto Answer);

/// <summary>One write: FC 6 for a single register, FC 16 for more.</summary>
internal sealed record ModbusRegisterWrite(ushort Address, ushort[] Values);
