using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Millwright.Tests.Embroidery;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The embroidery pages in headless Chromium against the real app: a customer uploads a design and sees its
/// preview, stats and price, orders pieces and follows the order; the machine page of the machine sewing it shows
/// the design with the needle where the machine reports it.
/// </summary>
public sealed class EmbroideryPageTests(BrowserProductionHost fixture) : IClassFixture<BrowserProductionHost>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_customer_uploads_a_design_sees_preview_and_price_orders_and_follows_it_and_the_machine_page_shows_the_needle()
    {
        using var t = await Host.CreateTenantAsync("emb");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-a");
        var page = await fixture.SignedInPageAsync(t.OperatorKey, "#/embroidery");
        await page.Locator("#emb-designs td.empty").WaitForAsync();

        // Upload: the preview (a PNG as a data: URL), the stats and the price come back.
        await page.SetInputFilesAsync("#emb-file", new FilePayload { Name = "crest.svg", MimeType = "image/svg+xml", Buffer = Encoding.UTF8.GetBytes(TestDesigns.Badge) });
        await page.FillAsync("#emb-name", "Crest");
        await page.ClickAsync(".emb-upload button[type=submit]");
        var row = page.Locator("#emb-designs tr[data-design]");
        await row.WaitForAsync();
        var designId = long.Parse(await row.GetAttributeAsync("data-design") ?? "0", CultureInfo.InvariantCulture);
        var design = await t.Viewer.GetJsonAsync($"/api/v1/embroidery/designs/{designId}");
        await page.Locator("img.emb-preview[src^='data:image/png']").WaitForAsync();
        var stats = await page.Locator("#emb-stats").InnerTextAsync();
        Assert.Contains(design["stitches"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), stats, StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator(".swatch").CountAsync());
        var price = design["price"]!;
        var total = price["setup"]!.GetValue<decimal>() + (3 * price["perPiece"]!.GetValue<decimal>());

        // Order three pieces: the total is the setup plus three pieces, and the order shows up to be followed.
        await page.SelectOptionAsync("#emb-item", shop.ItemId.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#emb-site", shop.SiteId.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("#emb-quantity", "3");
        await Assertions.Expect(page.Locator("#emb-total")).ToContainTextAsync(total.ToString("0.00", CultureInfo.InvariantCulture));
        await page.ClickAsync(".emb-order button[type=submit]");
        await Assertions.Expect(page.Locator("#emb-total")).ToContainTextAsync("placed");
        await page.Locator("#emb-orders tr[data-order]").WaitForAsync();

        // The machine takes the job: the order is in progress on the page.
        var (machine, command) = await shop.NextJobAsync(Soon);
        await machine.AnswerAsync(command, "accepted");
        await page.Locator("#emb-orders tr[data-status=in_progress]").WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "embroidery-designs");

        // The machine page draws the design being sewn and puts the needle where the machine says it is.
        var id = shop.MachineIds["emb-a"];
        await page.GotoAsync(new Uri(Host.BaseAddress, $"/dashboard#/machine/{id}").ToString());
        await page.Locator($"#sewing svg[data-design='{designId}']").WaitForAsync();
        using var device = shop.Device("emb-a");
        using var sent = await device.PostAsync("/api/v1/telemetry", new StringContent(
            """{"values": {"power": 2.5, "needle": 2, "needle_x": 3.5, "needle_y": -2, "design_stitch": 120}}""", Encoding.UTF8, "application/json"));
        Assert.True(sent.IsSuccessStatusCode, $"{(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}");
        await page.Locator("#sewing g.needle[transform='translate(35 20)']").WaitForAsync();
        await Assertions.Expect(page.Locator("#sewing-caption")).ToContainTextAsync("stitch 120");
        await BrowserHost.ScreenshotAsync(page, "embroidery-machine");
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task The_embroidery_page_shows_the_KPIs_the_API_reckons_from_the_machines_counters()
    {
        using var t = await Host.CreateTenantAsync("embk");
        await using var shop = await EmbroideryShop.CreateAsync(Host, t, "emb-k");
        var id = shop.MachineIds["emb-k"];
        using var device = shop.Device("emb-k");
        var now = DateTimeOffset.UtcNow;
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""[{"ts": {{{now.AddMinutes(-30).ToUnixTimeMilliseconds()}}}, "values": {"power": 2.5, "stitch_count": 1000, "thread_breaks": 1}}, {"ts": {{{now.AddMinutes(-10).ToUnixTimeMilliseconds()}}}, "values": {"power": 2.5, "stitch_count": 41000, "thread_breaks": 5}}, {"ts": {{{now.AddMinutes(-1).ToUnixTimeMilliseconds()}}}, "values": {"power": 0}}]""");
        using var sent = await device.PostAsync("/api/v1/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(sent.IsSuccessStatusCode, $"{(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}");
        var kpis = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync("/api/v1/embroidery/kpis"),
            k => k["totals"]!["threadBreaks"]!.GetValue<long>() > 0, "the counters reached the KPIs");
        var totals = kpis["totals"]!;

        var page = await fixture.SignedInPageAsync(t.ViewerKey, "#/embroidery");
        var breaks = totals["breaksPerMillionStitches"]!.GetValue<double>().ToString("#,##0.#", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-kpi=breaks-per-million] .value")).ToHaveTextAsync(breaks, new() { Timeout = 15_000 });
        var perHead = totals["stitchesPerHourPerHead"]?.GetValue<double>().ToString("#,##0", CultureInfo.InvariantCulture) ?? "–";
        await Assertions.Expect(page.Locator("[data-kpi=stitches-per-hour-head] .value")).ToHaveTextAsync(perHead);
        await Assertions.Expect(page.Locator("[data-kpi=stitches-per-hour-head] .sub")).ToContainTextAsync(totals["stitches"]!.GetValue<long>().ToString("#,##0", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-kpi=lead-time] .sub")).ToContainTextAsync("mean of 0 design orders");
        await page.Locator($"#emb-kpi-machines g[data-machine='{id}']").WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "embroidery-kpis");
        Assert.Empty(fixture.Errors);
    }
}
