using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Sharing;

/// <summary>
/// What crosses tenants and what does not (docs/sharing.md, "Visibility"): a buyer sees offers' terms and its own
/// jobs; a provider sees requests its offers fit and the jobs it was awarded; a third tenant sees neither party's
/// bids or jobs; no machine name, telemetry or other order leaks to the other side.
/// </summary>
public abstract class SharingIsolationTests(SharingHost fixture)
{
    private TestHost Host => fixture.Host;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task Each_side_sees_only_what_the_marketplace_shows_it_and_a_stranger_sees_nothing()
    {
        var process = "moulding-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var unfit = await Party.CreateAsync(Host, 48.78, 9.18, "embroidery-" + Guid.NewGuid().ToString("N")[..8]);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        using var stranger = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        await unfit.OfferAsync((await unfit.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{unfit.MachineId}/capabilities"))["capabilities"]![0]!.GetValue<string>());

        // The provider's own order, and telemetry-free machine: neither may show up on the buyer's side.
        var request = await buyer.RequestAsync(process, Now.AddDays(2), change: r => r["title"] = $"{buyer.Marker} secret part");
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);
        await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.OK);

        // The buyer: offers' terms (never the machine or its site), its bid and job (never the machine or the order id).
        foreach (var path in new[] { "/api/v1/sharing/market?limit=500", $"/api/v1/sharing/bids/{bid.Id()}", "/api/v1/sharing/bids", $"/api/v1/sharing/jobs/{bid.Id()}", "/api/v1/sharing/jobs" })
        {
            var body = (await buyer.Tenant.Viewer.GetJsonAsync(path)).ToJsonString();
            Assert.DoesNotContain(provider.MachineName, body, StringComparison.Ordinal);
            Assert.DoesNotContain(provider.Marker, body, StringComparison.Ordinal);
            Assert.DoesNotContain("machineId", body, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"""orderId"":\d", body);
        }

        var market = (await buyer.Tenant.Viewer.ListAsync("/api/v1/sharing/market?limit=500")).Single(o => o!["id"]!.GetValue<long>() == offer.Id())!;
        Assert.Null(market["windows"]);
        Assert.Null(market["siteId"]);

        // The provider: the request through its bid and inbox, never the buyer's budget or delivery address.
        var received = await provider.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{bid.Id()}");
        Assert.Null(received["request"]!["budget"]);
        Assert.Null(received["request"]!["location"]);

        // A provider whose offers do not fit never sees the request; nobody sees another tenant's requests directly.
        var next = await buyer.RequestAsync(process, Now.AddDays(2));
        Assert.DoesNotContain((await unfit.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/inbox")).AsArray(), r => r!["id"]!.GetValue<long>() == next.Id());
        Assert.Contains((await provider.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/inbox")).AsArray(), r => r!["id"]!.GetValue<long>() == next.Id());
        await provider.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{next.Id()}", HttpStatusCode.NotFound);
        await provider.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{next.Id()}/candidates", HttpStatusCode.NotFound);

        // A stranger: 404 on both parties' bid and job, its answers and awards change nothing.
        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{bid.Id()}", HttpStatusCode.NotFound);
        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/jobs/{bid.Id()}", HttpStatusCode.NotFound);
        await stranger.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/offers/{offer.Id()}", HttpStatusCode.NotFound);
        foreach (var action in new[] { "accept", "decline", "award" })
        {
            await stranger.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{bid.Id()}/{action}", new { }, HttpStatusCode.NotFound, "no bid");
        }

        await stranger.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/jobs/{bid.Id()}/rating", new { score = 1, qualityPassed = false }, HttpStatusCode.NotFound, "no shared job");
        await stranger.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/offers/{offer.Id()}/cancel", new { }, HttpStatusCode.NotFound, "no offer");
        Assert.Empty((await stranger.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/jobs?role=provider"))["items"]!.AsArray());
        Assert.Empty((await stranger.Tenant.Viewer.GetJsonAsync("/api/v1/sharing/bids?role=provider"))["items"]!.AsArray());

        // The provider's order and its machine stay the provider's own.
        var order = (await provider.Tenant.Viewer.ListAsync("/api/v1/orders")).Single()!;
        await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}", HttpStatusCode.NotFound);
        await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{provider.MachineId}", HttpStatusCode.NotFound);
        Assert.Empty(await buyer.Tenant.Viewer.ListAsync("/api/v1/orders"));
        var rated = await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/jobs/{bid.Id()}/rating", new { score = 5, qualityPassed = true }, HttpStatusCode.Conflict, "rated once completed");
        Assert.DoesNotContain(provider.MachineName, rated.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_by_the_providers_own_production_does_not_tell_the_buyer_what_the_provider_holds()
    {
        var process = "honing-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = await Party.CreateAsync(Host, 48.78, 9.18, process);
        using var buyer = await Party.CreateAsync(Host, 48.74, 9.31);
        var offer = await provider.OfferAsync(process);
        var request = await buyer.RequestAsync(process, Now.AddDays(2));
        var bid = await buyer.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/requests/{request.Id()}/bids", new { offerId = offer.Id() }, HttpStatusCode.Created);
        await provider.Tenant.Operator.PostJsonAsync($"/api/v1/sharing/bids/{bid.Id()}/accept", new { }, HttpStatusCode.OK);

        // The provider happens to stock an item with the SKU the award would give the buyer's parts.
        await provider.Tenant.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = $"SHARED-{bid.Id()}", name = $"{provider.Marker} own stock", unitCost = 1.0 }, HttpStatusCode.Created);

        var refused = await buyer.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/sharing/bids/{bid.Id()}/award", new { }, HttpStatusCode.Conflict, "could not take the order");
        var body = refused.ToJsonString();
        Assert.DoesNotContain("SKU", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"SHARED-{bid.Id()}", body, StringComparison.Ordinal);
        Assert.DoesNotContain(provider.Marker, body, StringComparison.Ordinal);

        // Nothing half-applied: no order, the request open, the bid still awardable once the provider sorts it out.
        Assert.Empty(await provider.Tenant.Viewer.ListAsync("/api/v1/orders"));
        Assert.Equal("open", (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/requests/{request.Id()}"))["status"]!.GetValue<string>());
        Assert.Equal("accepted", (await buyer.Tenant.Viewer.GetJsonAsync($"/api/v1/sharing/bids/{bid.Id()}"))["status"]!.GetValue<string>());
    }

    public sealed class OnSqlite(SqliteSharingHost host) : SharingIsolationTests(host), IClassFixture<SqliteSharingHost>;

    public sealed class OnPostgres(PostgresSharingHost host) : SharingIsolationTests(host), IClassFixture<PostgresSharingHost>;
}
