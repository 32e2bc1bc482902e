namespace Millwright.Features.Live;

/// <summary>
/// Machines, lines and sites named by a subscribe or unsubscribe; each list is sorted and free of duplicates. With
/// <see cref="Positions"/>, the request also starts or stops the tenant's fleet positions (every machine's
/// latitude and longitude, and its state changes), which the per-connection machine limit does not bound.
/// </summary>
internal sealed record LiveSelection(IReadOnlyList<long> Machines, IReadOnlyList<long> Lines, IReadOnlyList<long> Sites)
{
    public static readonly LiveSelection Empty = new([], [], []);

    public bool Positions { get; init; }

    public bool IsEmpty => Machines.Count == 0 && Lines.Count == 0 && Sites.Count == 0;
}
