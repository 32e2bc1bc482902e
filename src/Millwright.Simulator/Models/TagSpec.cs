namespace Millwright.Simulator.Models;

/// <summary>
/// One tag of a simulated machine type, in the platform's vocabulary: DataType float|int|bool|string,
/// Kind gauge|counter, Unit from the platform's closed unit list (Features/MachineTypes/Units.cs).
/// </summary>
internal sealed record TagSpec(string Name, string? Unit, string DataType, string Kind = "gauge", double? Min = null, double? Max = null)
{
    public bool IsCounter => Kind == "counter";

    public bool IsNumeric => DataType is "float" or "int";
}
