using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>
/// Invoice-ready records: when the provider's order of a shared job completes, each side gets its own record in the
/// same transaction, the provider a receivable and the buyer a payable, with the quantities, the machine hours and
/// the price agreed in the bid. Each tenant reads only its own records.
/// </summary>
internal sealed class SharedInvoices : IOrderCompletions
{
    public const string Receivable = "receivable";
    public const string Payable = "payable";

    public async Task CompletedAsync(Session s, OrderRow order, long good, long scrap)
    {
        if (await SharingStore.BidOfProvidedOrderAsync(s, order.Id) is not { } bid)
        {
            return;   // one of the provider's own orders
        }

        var request = await SharingStore.RequestOfBidAsync(s, bid);
        var quantity = request?.Quantity ?? order.Quantity;
        var jobs = (await ProductionStore.JobsOfAsync(s, [order.Id])).GetValueOrDefault(order.Id) ?? [];
        // Machine hours: each operation from its start (or dispatch) to its end; time between operations is not charged.
        var hours = jobs.Sum(j => j.EndedAt is { } end && (j.StartedAt ?? j.DispatchedAt) is { } start ? Math.Max(0, end - start) : 0) / 3_600_000.0;
        var record = new InvoiceRow
        {
            BidId = bid.Id,
            Title = request?.Title ?? order.Customer,
            Quantity = quantity,
            Good = good,
            Scrap = scrap,
            QuotedHours = Math.Round(bid.Hours, 3),
            Hours = Math.Round(hours, 3),
            Price = bid.AgreedPrice,
            Amount = Amount(bid.AgreedPrice, good, quantity),
            PromisedAt = bid.EndAt,
            CompletedAt = s.Now,
        };
        record.Side = Receivable;
        record.Counterpart = bid.Buyer;
        await SharingStore.InsertInvoiceAsync(s, record);
        var buyer = ProviderSession.For(s, bid.TenantId, bid.Provider);
        record.Side = Payable;
        record.Counterpart = bid.Provider;
        await SharingStore.InsertInvoiceAsync(buyer, record);

        var summary = $"shared job {bid.Id} complete: {good} good, {scrap} scrap of {quantity}, {record.Hours:0.###} machine h, {record.Amount:0.00} of {record.Price:0.00} agreed";
        await s.AuditAsync("invoice", "sharing_bid", bid.Id, $"{summary}, receivable from {bid.Buyer}");
        await buyer.AuditAsync("invoice", "sharing_bid", bid.Id, $"{summary}, payable to {bid.Provider}");
    }

    public static async Task<Page<InvoiceDto>> ListAsync(Session s, PageRequest page) =>
        page.ToPage(await SharingStore.InvoicesAsync(s, page.After, page.Limit), r => r.Id, r => r.AsDto());

    public static async Task<InvoiceDto> GetAsync(Session s, long id) =>
        (await SharingStore.InvoiceAsync(s, id))?.AsDto() ?? throw ApiProblem.NotFound("invoice record", id);

    /// <summary>
    /// The agreed price for the parts ordered; a short delivery (fewer good parts than ordered) is charged pro rata,
    /// and scrap is the provider's cost, as the quote priced good parts.
    /// </summary>
    public static double Amount(double price, long good, long quantity) =>
        quantity <= 0 ? 0 : Math.Round(price * Math.Min(good, quantity) / quantity, 2, MidpointRounding.AwayFromZero);
}
