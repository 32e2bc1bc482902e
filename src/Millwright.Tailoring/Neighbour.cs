namespace Millwright.Tailoring;

/// <summary>A body found by a k-NN search: its row in the table and its weighted squared standardized distance.</summary>
public readonly record struct Neighbour(int Index, double Distance) : IComparable<Neighbour>
{
    /// <summary>Nearer first; at equal distance the lower body index first (the tie rule both searches share).</summary>
    public int CompareTo(Neighbour other)
    {
        var byDistance = Distance.CompareTo(other.Distance);
        return byDistance != 0 ? byDistance : Index.CompareTo(other.Index);
    }

    public static bool operator <(Neighbour left, Neighbour right) => left.CompareTo(right) < 0;

    public static bool operator <=(Neighbour left, Neighbour right) => left.CompareTo(right) <= 0;

    public static bool operator >(Neighbour left, Neighbour right) => left.CompareTo(right) > 0;

    public static bool operator >=(Neighbour left, Neighbour right) => left.CompareTo(right) >= 0;
}
