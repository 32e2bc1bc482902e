using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// The provider's planner keeps to the machine time it sold (docs/sharing.md, "Execution"): the awarded shared order
/// runs inside the booked window on the booked machine, and the provider's own work is planned around it.
/// </summary>
public abstract class SharingPlanTests(SharingHost fixture)
{
    private TestHost Host => fixture.Host;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task An_awarded_shared_order_runs_in_its_booked_window_and_the_providers_own_work_goes_around_it()
    {
        var process = "broaching-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process, change: o => o["reserveMinutes"] = 0);

        // 20 min setup + 60 × 60 s: booked 4 h (after the answer deadline) to 5 h 20 min from now.
        var request = await buyer.RequestAsync(process, Now.AddDays(2), quantity: 60, unitSeconds: 60);
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);
        var (bookedFrom, bookedTo) = (Now.AddHours(4), Now.AddHours(4).AddMinutes(80));

        // The provider's own order on the same machine: 3 h of work, due in 7 h, released at once.
        var admin = provider.Tenant.Admin;
        var item = await admin.PostJsonAsync("/api/v1/inventory-items", new { sku = $"{provider.Marker}-OWN", name = "own part", unitCost = 1.0 }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/v1/items/{item.Id()}/routing", new { operations = new[] { new { id = "10", capability = process, unitSeconds = 60 } } }, HttpStatusCode.OK);
        var own = await provider.Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "own customer", itemId = item.Id(), siteId = provider.SiteId, quantity = 180, dueAt = Now.AddHours(7), release = true,
        }, HttpStatusCode.Created);
        var shared = (await provider.Tenant.Viewer.ListAsync("/api/v1/orders")).Single(o => o!["number"]!.GetValue<string>() == $"SH-{bid.Id()}")!;

        var (sharedJob, ownJob) = await Eventually.ValueAsync(
            async () => (await JobAsync(provider, shared.Id()), await JobAsync(provider, own.Id())),
            jobs => jobs.Item1["plannedStart"] is not null && jobs.Item2["plannedStart"] is not null,
            "both orders planned");

        Assert.Equal(provider.MachineId, sharedJob["machineId"]!.GetValue<long>());
        Assert.Equal(bookedFrom, sharedJob["plannedStart"]!.GetValue<DateTimeOffset>());
        Assert.Equal(bookedTo, sharedJob["plannedEnd"]!.GetValue<DateTimeOffset>());
        var (ownFrom, ownTo) = (ownJob["plannedStart"]!.GetValue<DateTimeOffset>(), ownJob["plannedEnd"]!.GetValue<DateTimeOffset>());
        Assert.True(ownTo <= bookedFrom || ownFrom >= bookedTo, $"own job {ownFrom:O}..{ownTo:O} overlaps the booked {bookedFrom:O}..{bookedTo:O}");

        // The buyer's ETA is the booked completion.
        var followed = await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}");
        Assert.Equal(bookedTo, followed["eta"]!.GetValue<DateTimeOffset>());
    }

    private static async Task<JsonNode> JobAsync(Party party, long orderId) =>
        (await party.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{orderId}"))["jobs"]!.AsArray().Single()!;

    public sealed class OnSqlite(SqliteSharingHost host) : SharingPlanTests(host), IClassFixture<SqliteSharingHost>;

    public sealed class OnPostgres(PostgresSharingHost host) : SharingPlanTests(host), IClassFixture<PostgresSharingHost>;
}
