namespace Millwright.Features.Fleet;

/// <summary>A machine that can serve a request: its price in cents, its index in the solver's machine list, its id (the tie-break).</summary>
internal readonly record struct Candidate(long Cents, int Machine, long MachineId) : IComparable<Candidate>
{
    public int CompareTo(Candidate other) => Cents != other.Cents ? Cents.CompareTo(other.Cents) : MachineId.CompareTo(other.MachineId);
}
