using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>
/// Machine time sold ahead for one order (shared manufacturing's booked windows, docs/sharing.md): the order's
/// jobs run on <paramref name="MachineId"/> inside <paramref name="Windows"/> (Unix ms, sorted, disjoint), and no
/// other work of the tenant is planned there.
/// </summary>
internal sealed record MachineReservation(long OrderId, long MachineId, IReadOnlyList<Interval> Windows);
