namespace Millwright.Scheduling.Flexible;

/// <summary>The objective first, the makespan as tie-break (for weighted tardiness many schedules share a value).</summary>
internal readonly record struct Cost(long Primary, long Secondary) : IComparable<Cost>
{
    public int CompareTo(Cost other) => Primary != other.Primary ? Primary.CompareTo(other.Primary) : Secondary.CompareTo(other.Secondary);

    public static bool operator <(Cost a, Cost b) => a.CompareTo(b) < 0;

    public static bool operator >(Cost a, Cost b) => a.CompareTo(b) > 0;

    public static bool operator <=(Cost a, Cost b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Cost a, Cost b) => a.CompareTo(b) >= 0;
}
