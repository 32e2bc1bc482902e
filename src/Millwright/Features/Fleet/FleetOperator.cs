namespace Millwright.Features.Fleet;

/// <summary>
/// A machine operator as the allocation sees them: the machine types they are licensed for, each over its
/// validity, and when they are away (leave, other bookings). Operators cost nothing in the objective; they limit.
/// </summary>
internal sealed record FleetOperator(long Id, string Name, IReadOnlyList<OperatorLicence> Licences, IReadOnlyList<TimeWindow> Unavailable)
{
    /// <summary>Licensed for the request's machine type over its whole range, and not away during it.</summary>
    public bool CanDrive(SiteRequest request) =>
        Licences.Any(l => string.Equals(l.Category, request.Category, StringComparison.OrdinalIgnoreCase) && l.From <= request.From && request.To <= l.To)
        && !Unavailable.Any(w => w.Overlaps(request.From, request.To));
}

/// <summary>A licence to drive one machine type (category) over [From, To) in Unix milliseconds.</summary>
internal sealed record OperatorLicence(string Category, long From, long To);
