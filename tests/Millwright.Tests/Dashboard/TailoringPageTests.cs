using System.Net;
using Microsoft.Playwright;
using Millwright.Tests.Harness;
using Millwright.Tests.Tailoring;

namespace Millwright.Tests.Dashboard;

/// <summary>The made-to-measure page in headless Chromium: measurements entered and refused by field, size shown, an order placed with its pattern, and followed in the list.</summary>
public sealed class TailoringPageTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    [Fact]
    public async Task A_customer_is_measured_sized_and_ordered_a_jacket_whose_pattern_and_order_the_page_shows()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await MadeToMeasureApiTests.RouteAsync(t, plant);
        var page = await fixture.SignedInPageAsync(t.OperatorKey);

        await page.ClickAsync("a[data-nav=tailoring]");
        await page.Locator("#mtm-entry").WaitForAsync();
        await page.FillAsync("#mtm-entry input[name=name]", "E. Customer");
        await page.FillAsync("#mtm-entry input[name=stature]", "1780");
        await page.FillAsync("#mtm-entry input[name=weightkg]", "82");
        await page.FillAsync("#mtm-entry input[name=chestcircumference]", "1040");

        // A waist no such body has is refused, next to its field. The first request fits the body model (seconds on a busy machine).
        await page.FillAsync("#mtm-entry input[name=waistcircumference]", "2600");
        await page.ClickAsync("#mtm-entry button[type=submit]");
        await Assertions.Expect(page.Locator("[data-field=waistcircumference] .field-error"))
            .ToContainTextAsync("waistcircumference 2600", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });

        await page.FillAsync("#mtm-entry input[name=waistcircumference]", "930");
        await page.ClickAsync("#mtm-entry button[type=submit]");
        await page.Locator("#mtm-designation").WaitForAsync();
        var stored = (await t.Viewer.ListAsync("/api/v1/c2m/customers")).Single()!;
        await Assertions.Expect(page.Locator("#mtm-designation")).ToHaveTextAsync(stored["size"]!["designation"]!.GetValue<string>());
        Assert.Equal(7, await page.Locator(".mtm-alterations tbody tr").CountAsync());

        await page.SelectOptionAsync("#mtm-order select[name=itemId]", plant.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#mtm-order select[name=siteId]", plant.SiteId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#mtm-order button[type=submit]");
        await Assertions.Expect(page.Locator("#mtm-pieces")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#mtm-marker")).ToBeVisibleAsync();
        Assert.True(await page.Locator("#mtm-pieces").EvaluateAsync<double>("img => img.naturalWidth") > 0, "the pattern SVG is drawn");
        var order = (await t.Viewer.ListAsync("/api/v1/c2m/orders")).Single()!;
        await Assertions.Expect(page.Locator($"#mtm-orders tr[data-order='{order["orderId"]}'] td.status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("released|in progress|planned"));

        await BrowserHost.ScreenshotAsync(page, "tailoring");
        Assert.Empty(fixture.Errors);
    }
}
