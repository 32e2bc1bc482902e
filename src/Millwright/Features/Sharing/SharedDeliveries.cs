using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>
/// The provider's delivery events of a shared job (shipped, delivered, with quantities), which the buyer follows.
/// A provider cannot ship more good parts than its order has made, nor report more delivered than it shipped.
/// </summary>
internal static class SharedDeliveries
{
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";

    public static async Task<IReadOnlyList<DeliveryDto>> ListAsync(Session s, long jobId)
    {
        _ = await AwardedAsync(s, jobId);
        return (await SharingStore.DeliveriesAsync(s, jobId)).Select(d => d.AsDto()).ToList();
    }

    public static async Task<DeliveryDto> RecordAsync(Session s, long jobId, DeliveryInput input)
    {
        var v = new Validator();
        if (input.Kind is not (Shipped or Delivered))
        {
            v.Add("kind", $"is required: '{Shipped}' or '{Delivered}'");
        }

        if (input.Quantity is not (> 0 and <= 1_000_000_000))
        {
            v.Add("quantity", "is required: the parts shipped or delivered, at least 1");
        }

        var reference = v.Description("reference", input.Reference);
        v.ThrowIfInvalid();
        var bid = await AwardedAsync(s, jobId);
        if (bid.ProviderTenantId != s.Tenant)
        {
            throw ApiProblem.Forbidden($"Only the provider records deliveries of shared job {jobId}.");
        }

        // Locked first: two events of one job are checked against the totals one after the other.
        if (!await SharingStore.LockProvidedJobAsync(s, jobId))
        {
            throw ApiProblem.NotFound("shared job", jobId);
        }

        var (shipped, delivered) = await SharingStore.DeliveredAsync(s, jobId);
        var quantity = input.Quantity!.Value;
        if (input.Kind == Shipped)
        {
            var made = await GoodMadeAsync(s, bid.OrderId ?? 0);
            if (shipped + quantity > made)
            {
                throw ApiProblem.Invalid("quantity", $"{shipped} of the {made} good parts made are shipped already; {quantity} more would be more than were made");
            }
        }
        else if (delivered + quantity > shipped)
        {
            throw ApiProblem.Invalid("quantity", $"{delivered} of the {shipped} parts shipped are delivered already; {quantity} more would be more than were shipped");
        }

        var id = await SharingStore.InsertDeliveryAsync(s, jobId, bid.TenantId, input.Kind!, quantity, reference);
        var provider = await ProviderSession.TenantNameAsync(s, s.Tenant);
        var action = input.Kind == Shipped ? "ship" : "deliver";
        var what = $"{input.Kind} {quantity} part(s) of shared job {jobId}" + (reference is null ? "" : $" ({reference})");
        await s.AuditAsync(action, "sharing_bid", jobId, $"{what} to {bid.Buyer}");
        await ProviderSession.For(s, bid.TenantId, provider).AuditAsync(action, "sharing_bid", jobId, $"{provider} {what}");
        return (await SharingStore.DeliveriesAsync(s, jobId)).Single(d => d.Id == id).AsDto();
    }

    /// <summary>Good parts the provider's order has made: the order's count once complete, else its last operation's so far.</summary>
    private static async Task<long> GoodMadeAsync(Session ps, long orderId)
    {
        if (await ProductionStore.OrderAsync(ps, orderId) is not { } order)
        {
            return 0;
        }

        if (order.Status == OrderStatus.Completed)
        {
            return order.Good;
        }

        var jobs = await ProductionStore.JobsOfAsync(ps, [orderId]);
        return jobs.TryGetValue(orderId, out var list) && list.Count > 0 ? list[^1].Good : 0;
    }

    private static async Task<BidRow> AwardedAsync(Session s, long jobId) =>
        await SharingStore.BidAsync(s, jobId) is { Status: BidStatus.Awarded } bid ? bid : throw ApiProblem.NotFound("shared job", jobId);
}
