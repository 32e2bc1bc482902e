using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>
/// The provider's booked windows as the production planner's reservations: an awarded shared order runs inside the
/// machine time the buyer bought, on the offered machine, and the provider's own work is planned around it.
/// </summary>
internal sealed class SharedBookings : IMachineReservations
{
    public async Task<IReadOnlyList<MachineReservation>> LoadAsync(Session s, long from)
    {
        var rows = await s.QueryAsync<(long OrderId, long MachineId, long Start, long End)>(
            """
            SELECT b.order_id, k.machine_id, k.start_at, k.end_at FROM sharing_bookings k
            JOIN sharing_bids b ON b.id = k.bid_id AND b.provider_tenant_id = k.tenant_id
            WHERE k.tenant_id = @Tenant AND b.status = 'awarded' AND b.order_id IS NOT NULL AND k.end_at > @from
            ORDER BY b.order_id, k.start_at
            """,
            new { s.Tenant, from });
        return rows.GroupBy(r => (r.OrderId, r.MachineId))
            .Select(g => new MachineReservation(g.Key.OrderId, g.Key.MachineId, g.Select(r => new Interval(r.Start, r.End)).ToList()))
            .ToList();
    }
}
