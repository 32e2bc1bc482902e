using System.Net;
using Microsoft.Playwright;
using Millwright.Tests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Millwright.Tests.Dashboard;

/// <summary>The dashboard in headless Chromium against the real app (SQLite): what an operator sees and does.</summary>
public sealed class DashboardBrowserTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Sign_in_refuses_an_unknown_key_and_the_platform_key()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(new Uri(Host.BaseAddress, "/dashboard").ToString());

        await page.FillAsync("#key", "mwk_" + new string('x', 40));
        await page.ClickAsync("#signin-form button[type=submit]");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("refused");
        await page.FillAsync("#key", Host.PlatformKey);
        await page.ClickAsync("#signin-form button[type=submit]");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("no tenant");

        Assert.True(await page.Locator("#top").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('millwright.key')"));
        await BrowserHost.ScreenshotAsync(page, "sign-in-refused");
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_machines()
    {
        using var a = await DashboardPlant.CreateAsync(Host);
        using var b = await DashboardPlant.CreateAsync(Host);
        await a.SendAsync(new { power = 3.0, alarm_code = 7, parts = 1 });
        await a.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{a.MachineId}/latest");

        var page = await fixture.SignedInPageAsync(b.Tenant.ViewerKey);
        await page.Locator($".tile[data-machine='{b.MachineId}']").WaitForAsync();
        foreach (var hash in new[] { "#/", "#/floor", "#/map", "#/alarms", $"#/machine/{a.MachineId}" })
        {
            await page.EvaluateAsync("h => { location.hash = h; }", hash);
            await page.WaitForSelectorAsync("main > *");
            Assert.DoesNotContain(a.Marker, await page.ContentAsync(), StringComparison.Ordinal);
        }

        Assert.Contains("not one of this tenant's machines", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"[data-machine='{a.MachineId}']").CountAsync());
    }

    [Fact]
    public async Task The_machine_page_charts_its_tags_zooms_into_a_range_and_shows_live_values()
    {
        using var plant = await DashboardPlant.CreateAsync(Host);
        foreach (var power in new[] { 10.0, 20.0, 15.0 })
        {
            await plant.SendAsync(new { power, alarm_code = 0, parts = 1 });
        }

        await WaitForLatestAsync(plant, "power", 15.0);
        var page = await fixture.SignedInPageAsync(plant.Tenant.ViewerKey, $"#/machine/{plant.MachineId}");
        var chart = page.Locator(".chart[data-tag=power]");
        await page.WaitForSelectorAsync(".chart[data-tag=power][data-points] canvas");
        Assert.True(int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0);
        await page.WaitForSelectorAsync("svg.timeline rect[data-state=running]");
        await page.WaitForSelectorAsync("svg.bars[aria-label='OEE waterfall']");
        // A type without a wear tag: the risk panel says why there is no estimate.
        Assert.Contains("no tag that shows wear", await page.Locator("#risk .risk[data-risk=unknown]").InnerTextAsync(), StringComparison.Ordinal);

        // Dragging across the chart asks the server for that narrower range.
        var over = await chart.Locator(".u-over").BoundingBoxAsync() ?? throw new InvalidOperationException("the chart has no plot area");
        var zoom = await page.RunAndWaitForRequestAsync(async () =>
        {
            await page.Mouse.MoveAsync(over.X + (over.Width * 0.3f), over.Y + (over.Height / 2));
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(over.X + (over.Width * 0.6f), over.Y + (over.Height / 2), new MouseMoveOptions { Steps = 5 });
            await page.Mouse.UpAsync();
        }, r => r.Url.Contains("/series/power/chart", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(zoom.Url).Query);
        var span = DateTimeOffset.Parse(query["to"]!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(query["from"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(span, TimeSpan.FromSeconds(0.001), TimeSpan.FromMinutes(59));
        await page.ClickAsync("#live-again");

        // A live value reaches the page's table of latest values without a reload.
        await plant.SendAsync(new { power = 33.25, alarm_code = 0, parts = 2 });
        await page.Locator(".machine table.grid td", new PageLocatorOptions { HasTextString = "33.25" }).WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "machine-page");
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task The_kpi_page_exports_its_trend_as_csv()
    {
        using var plant = await DashboardPlant.CreateAsync(Host);
        await plant.SendAsync(new { power = 10.0, alarm_code = 0, parts = 1 });
        var page = await fixture.SignedInPageAsync(plant.Tenant.ViewerKey, "#/kpis");
        await page.WaitForSelectorAsync("#kpi-trend[data-periods] canvas");
        await page.WaitForSelectorAsync($"#kpi-compare tr[data-scope='line-{plant.LineId}']");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#csv-trend"));
        Assert.Equal("kpi-trend.csv", download.SuggestedFilename);
        var path = Path.Combine(BrowserHost.ArtifactDirectory(), $"kpi-trend-{plant.Marker}.csv");
        await download.SaveAsAsync(path);
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToArray();
        Assert.StartsWith("scope,period,from,to,oee,availability,effectiveness,qualityRatio", lines[0], StringComparison.Ordinal);
        var periods = int.Parse(await page.Locator("#kpi-trend").GetAttributeAsync("data-periods") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(periods + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith($"site {plant.Marker} site,", l, StringComparison.Ordinal));
        await BrowserHost.ScreenshotAsync(page, "kpis");
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task The_floor_plan_and_the_fleet_map_place_the_machine_in_its_state_colour()
    {
        using var plant = await DashboardPlant.CreateAsync(Host);
        await plant.SendAsync(new { power = 40.0, alarm_code = 0, parts = 1, latitude = 45.7601, longitude = 4.8402 });
        var page = await fixture.SignedInPageAsync(plant.Tenant.ViewerKey, "#/floor");
        var box = page.Locator($"svg.plan rect.machine[data-machine='{plant.MachineId}'][data-state='running']");
        await box.WaitForAsync();
        await Expect(box).ToHaveCSSAsync("fill", "rgb(46, 158, 68)");
        Assert.Contains("no stored positions", await page.Locator(".floor .hint").TextContentAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "floor-plan");

        await page.ClickAsync("a[data-nav=map]");
        var vehicle = page.Locator($"svg.map circle.vehicle[data-machine='{plant.MachineId}']");
        await vehicle.WaitForAsync();
        Assert.Contains("45.76010", await page.Locator(".fleet table").TextContentAsync(), StringComparison.Ordinal);
        // The only machine sits between the drawing's margins, next to its site's marker.
        var cx = double.Parse(await vehicle.GetAttributeAsync("cx") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(cx, 40, 860);
        Assert.Equal(1, await page.Locator("svg.map rect.site-marker").CountAsync());

        // It moves: the marker follows and leaves a trail.
        await plant.SendAsync(new { power = 40.0, alarm_code = 0, parts = 1, latitude = 45.7611, longitude = 4.8422 });
        await page.Locator("svg.map polyline.trail").WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "fleet-map");
        Assert.Empty(fixture.Errors);
    }

    private static async Task WaitForLatestAsync(DashboardPlant plant, string tag, double value) =>
        await Eventually.ValueAsync(
            () => plant.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"),
            latest => latest["values"]!.AsArray().Any(v => v!["tag"]!.GetValue<string>() == tag && v["value"]!.GetValue<double>() == value),
            $"the twin to show {tag} = {value}");
}
