namespace Millwright.Features.PlantFiles;

/// <summary>
/// A tenant's plant as a file: machine types, then the ISA-95 tree of sites, areas, lines and machines.
/// The same shape is read by import and written by export, so an export imports back unchanged.
/// </summary>
internal sealed class PlantFile
{
    public string Tenant { get; set; } = "";
    public string? Name { get; set; }
    public List<MachineTypeEntry> MachineTypes { get; set; } = [];
    public List<SiteEntry> Sites { get; set; } = [];
}

internal sealed class MachineTypeEntry
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<TagEntry> Tags { get; set; } = [];

    /// <summary>Null when it is the default ("flag"), so plain types export as before.</summary>
    public string? UnknownTags { get; set; }

    public string? InvalidValues { get; set; }
}

internal sealed class TagEntry
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? Unit { get; set; }
    public string? DataType { get; set; }
    public string? Kind { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public double? Wrap { get; set; }
}

internal sealed class SiteEntry
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? TimeZone { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public List<AreaEntry> Areas { get; set; } = [];
}

internal sealed class AreaEntry
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<LineEntry> Lines { get; set; } = [];
}

internal sealed class LineEntry
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<MachineEntry> Machines { get; set; } = [];
}

internal sealed class MachineEntry
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Description { get; set; }
}
