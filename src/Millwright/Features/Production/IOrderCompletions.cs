using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>
/// Where a higher feature learns that an order is complete, inside the transaction that completes it, so that what
/// it writes (sharing's invoice-ready records) commits with the completion or not at all.
/// </summary>
internal interface IOrderCompletions
{
    /// <param name="s">The planner's session of the order's tenant, not yet committed.</param>
    /// <param name="order">The order as read before completion; <paramref name="good"/> and <paramref name="scrap"/> are its final counts.</param>
    Task CompletedAsync(Session s, OrderRow order, long good, long scrap);
}
