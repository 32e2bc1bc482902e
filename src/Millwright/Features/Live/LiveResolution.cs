namespace Millwright.Features.Live;

/// <summary>A selection resolved in one tenant: the machines found, the machines under each found line and site, and what was not found.</summary>
internal sealed record LiveResolution(
    IReadOnlySet<long> Machines,
    IReadOnlyDictionary<long, HashSet<long>> Lines,
    IReadOnlyDictionary<long, HashSet<long>> Sites,
    LiveSelection NotFound);
