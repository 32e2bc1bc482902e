using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// Where the planner learns of machine time held for particular orders (a higher feature, such as sharing, owns the
/// bookings): each reservation is a fixed placement for its order and downtime for all other work.
/// </summary>
internal interface IMachineReservations
{
    /// <summary>The session's tenant's reservations that have time left after <paramref name="from"/>.</summary>
    Task<IReadOnlyList<MachineReservation>> LoadAsync(Session s, long from);
}
