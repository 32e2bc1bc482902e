namespace Millwright.Design;

/// <summary>
/// A Lamport timestamp with the replica as tie-breaker: a total order on every operation of a design that all
/// replicas agree on, and that respects causality (a replica's clock passes every stamp it has seen).
/// </summary>
internal readonly record struct OpStamp(long Counter, string Replica) : IComparable<OpStamp>
{
    public int CompareTo(OpStamp other)
    {
        var byCounter = Counter.CompareTo(other.Counter);
        return byCounter != 0 ? byCounter : string.CompareOrdinal(Replica, other.Replica);
    }

    public static bool operator <(OpStamp a, OpStamp b) => a.CompareTo(b) < 0;

    public static bool operator >(OpStamp a, OpStamp b) => a.CompareTo(b) > 0;

    public static bool operator <=(OpStamp a, OpStamp b) => a.CompareTo(b) <= 0;

    public static bool operator >=(OpStamp a, OpStamp b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Counter}@{Replica}";
}
