namespace Millwright.Features.Fleet;

/// <summary>The fleet screen's machines as columns (index i of each list is one machine) and the active faults.</summary>
internal sealed record FleetPositionsDto(
    DateTimeOffset At,
    IReadOnlyList<long> Ids,
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Latitude,
    IReadOnlyList<double> Longitude,
    IReadOnlyList<string?> States,
    IReadOnlyList<long> ReportedAt,
    IReadOnlyList<FleetFaultDto> Faults);
