namespace Millwright.Features.Fleet;

/// <summary>What makes a machine fleet equipment: the maker's identity of it (ISO 15143-3 EquipmentHeader).</summary>
internal sealed record EquipmentInput(string? OemName, string? Model, string? SerialNumber, string? Pin);

/// <summary>A fleet machine's identity; <see cref="EquipmentId"/> is the machine's name (its device id).</summary>
internal sealed record EquipmentDto(long MachineId, string EquipmentId, string OemName, string Model, string SerialNumber, string? Pin, DateTimeOffset UpdatedAt)
{
    public AempHeader Header => new(OemName, Model, EquipmentId, SerialNumber, Pin);
}

internal sealed class EquipmentRow
{
    public long MachineId { get; set; }
    public string MachineName { get; set; } = "";
    public string OemName { get; set; } = "";
    public string Model { get; set; } = "";
    public string SerialNumber { get; set; } = "";
    public string? Pin { get; set; }
    public long UpdatedAt { get; set; }

    public EquipmentDto AsDto() => new(MachineId, MachineName, OemName, Model, SerialNumber, Pin, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
