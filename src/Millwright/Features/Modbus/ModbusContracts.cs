namespace Millwright.Features.Modbus;

/// <summary>
/// A register as a plant engineer writes it. area: coil, discrete, input or holding; dataType: bool, int16,
/// uint16, int32, uint32 or float32; wordOrder for 32-bit values: abcd (high word first) or cdab.
/// </summary>
internal sealed record ModbusPointInput(string? Tag, string? Area, int? Address, string? DataType, string? WordOrder, double? Scale, double? Offset);

internal sealed record ModbusConnectionInput(
    string? Host, int? Port, int? UnitId, int? IntervalMs, int? TimeoutMs, IReadOnlyList<ModbusPointInput>? Points, ModbusCommandMapInput? Commands = null,
    string? Template = null);

internal sealed record ModbusPointDto(string Tag, string Area, int Address, string DataType, string WordOrder, double Scale, double Offset);

internal sealed record ModbusConnectionDto(
    long MachineId, string Host, int Port, int UnitId, int IntervalMs, int TimeoutMs, IReadOnlyList<ModbusPointDto> Points,
    DateTimeOffset UpdatedAt, Messages.ConnectionState? Connection, ModbusCommandMapDto? Commands);

internal sealed class ModbusConnectionRow
{
    public long TenantId { get; set; }
    public long MachineId { get; set; }
    public string Host { get; set; } = "";
    public long Port { get; set; }
    public long UnitId { get; set; }
    public long IntervalMs { get; set; }
    public long TimeoutMs { get; set; }
    public string Points { get; set; } = "[]";
    public string? Commands { get; set; }
    public string MachineName { get; set; } = "";
    public long UpdatedAt { get; set; }
}
