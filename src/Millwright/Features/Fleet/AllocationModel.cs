namespace Millwright.Features.Fleet;

/// <summary>A machine that can be sent to a job site: what it is, what it can do, where it stands, what it costs a day, when it is away (maintenance).</summary>
internal sealed record FleetMachine(
    long Id, string Category, IReadOnlyDictionary<string, double> Capabilities, double Latitude, double Longitude, double DailyRate,
    IReadOnlyList<TimeWindow> Unavailable);

/// <summary>A job site's request for one machine of a category with at least the given capabilities over [From, To).</summary>
internal sealed record SiteRequest(
    long Id, string Category, IReadOnlyDictionary<string, double> MinCapabilities, double Latitude, double Longitude, long From, long To)
{
    public bool Overlaps(SiteRequest other) => From < other.To && other.From < To;
}

/// <summary>[From, To) in Unix milliseconds.</summary>
internal readonly record struct TimeWindow(long From, long To)
{
    public bool Overlaps(long from, long to) => From < to && from < To;
}

/// <summary>
/// How an assignment is priced: road distance approximated as the great-circle distance times
/// <see cref="RoadFactor"/> (1.3 is a common detour factor for road networks), moved at
/// <see cref="TransportPerKm"/> (low-loader cost per km), plus the machine's daily rate for every started day.
/// When re-planning against a previous plan, <see cref="ChangePenalty"/> is added to the objective (not to the
/// cost) for every request that had a machine and now gets another one: a change must save more than that.
/// </summary>
internal sealed record AllocationCosts(double RoadFactor = 1.3, double TransportPerKm = 3.0, double ChangePenalty = 0)
{
    public static AllocationCosts Default { get; } = new();

    public long ChangePenaltyCents => (long)Math.Round(ChangePenalty * 100);
}

/// <summary>
/// One request served by one machine, with its price; <see cref="Moved"/> when a previous plan gave the request
/// another machine; <see cref="OperatorId"/> the operator who drives it, when the plan was asked for operators.
/// </summary>
internal sealed record Assignment(long RequestId, long MachineId, double RoadKm, double TransportCost, double RentalCost, bool Moved = false, long? OperatorId = null)
{
    public double Cost => TransportCost + RentalCost;
}

/// <summary>A request the plan cannot serve, and why.</summary>
internal sealed record Unserved(long RequestId, string Reason);

/// <summary>The plan: as many requests served as possible, at the least total cost among such plans.</summary>
internal sealed record AllocationPlan(IReadOnlyList<Assignment> Assignments, IReadOnlyList<Unserved> Unserved, string Method)
{
    public double TotalCost => Assignments.Sum(a => a.Cost);

    /// <summary>Requests of the previous plan whose machine changed (given another, or none).</summary>
    public int Changes { get; init; }
}
