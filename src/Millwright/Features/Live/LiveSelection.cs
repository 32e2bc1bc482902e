namespace Millwright.Features.Live;

/// <summary>Machines, lines and sites named by a subscribe or unsubscribe; each list is sorted and free of duplicates.</summary>
internal sealed record LiveSelection(IReadOnlyList<long> Machines, IReadOnlyList<long> Lines, IReadOnlyList<long> Sites)
{
    public static readonly LiveSelection Empty = new([], [], []);

    public bool IsEmpty => Machines.Count == 0 && Lines.Count == 0 && Sites.Count == 0;
}
