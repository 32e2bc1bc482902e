namespace Millwright.Features.Fleet;

/// <summary>
/// A list of diagnostic codes built from a code tag (0 = no code): every time the tag turns to a new non-zero
/// code is one occurrence, with the failure mode (J1939 FMI) and severity tags read at that time.
/// </summary>
internal sealed record AempCodeList(string Name, string SeriesRoot, string ItemName, string CodeTag, string? ModeTag, string SeverityTag, string Source);
