using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Millwright.Tests.Fleet;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The fleet screen (#/fleet) in headless Chromium against the real app: the vendored base map, clusters of a
/// fleet in two cities, a job site, the fault list, a machine's track for the day, a plan drawn as lines, and
/// live positions. The canvas reports what it drew in data attributes.
/// </summary>
public sealed class FleetScreenTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    private const int PerCity = 20;

    [Fact]
    public async Task The_fleet_screen_clusters_the_fleet_over_the_base_map_and_follows_it_live()
    {
        using var kit = await FleetKit.CreateAsync(fixture.Host);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var devices = new List<FleetPositionsTests.Device>();
        try
        {
            // Twenty machines around Berlin and twenty around Munich, each a few hundred metres apart.
            for (var i = 0; i < 2 * PerCity; i++)
            {
                var device = await FleetPositionsTests.AddMachineAsync(kit, $"exc-{i:D2}");
                devices.Add(device);
                var (lat, lon) = i < PerCity ? (52.52, 13.40) : (48.14, 11.58);
                await device.SendAsync(now - 60_000, new { latitude = lat + ((i % 5 - 2) * 0.003), longitude = lon + ((i / 5 % 4 - 1.5) * 0.003) });
            }

            // The kit's machine drove today and has a fault; it is near Hamburg.
            await kit.SendManyAsync(Enumerable.Range(0, 3).Select(k => (now - 50_000 + (k * 1000), (object)new
            {
                latitude = 53.55 + (k * 0.01), longitude = 9.99, fault_code = 523, fault_fmi = 4, fault_severity = 2,
            })));
            await kit.Tenant.Operator.PostJsonAsync("/api/v1/fleet/geofences", new
            {
                type = "Feature",
                geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 13.3, 52.45 }, [13.5, 52.45], [13.5, 52.6], [13.3, 52.6], [13.3, 52.45] } } },
                properties = new { name = "Berlin ring", kind = "job_site" },
            }, HttpStatusCode.Created);
            using var late = await FleetPositionsTests.AddMachineAsync(kit, "exc-late");

            // An operator: planning posts to an operator route (a viewer sees "The plan was refused").
            var page = await fixture.SignedInPageAsync(kit.Tenant.OperatorKey, "#/fleet");
            var canvas = page.Locator("canvas.fleet-canvas");
            await page.WaitForSelectorAsync($"canvas.fleet-canvas[data-machines='{(2 * PerCity) + 1}'][data-sites='1']");
            // Whole fleet in view: the two cities are clusters, not forty dots.
            Assert.True(await IntAsync(canvas, "clusters") >= 2, "the two cities are clustered");
            Assert.True(await IntAsync(canvas, "markers") < 2 * PerCity);
            // The base map is decoded and drawn: land colour where Germany is (the canvas centre is on the fleet).
            var land = await page.EvaluateAsync<bool>("() => { const c = document.querySelector('canvas.fleet-canvas'); const ctx = c.getContext('2d'); const d = ctx.getImageData(0, 0, c.width, c.height).data; for (let i = 0; i < d.length; i += 4) if (d[i] === 0xf3 && d[i + 1] === 0xf1 && d[i + 2] === 0xea) return true; return false; }");
            Assert.True(land, "land from world-atlas is drawn");

            // The fault list names the machine; a click centres it, and its track for today has its three positions.
            var row = page.Locator($".fleet-faults tr[data-machine='{kit.MachineId}']");
            await Assertions.Expect(row).ToContainTextAsync("523/4");
            await row.ClickAsync();
            await Assertions.Expect(page.Locator(".fleet-detail h3")).ToHaveTextAsync(kit.Name);
            await page.ClickAsync(".fleet-detail .show-track");
            await page.WaitForSelectorAsync("canvas.fleet-canvas[data-track-points='3']");
            Assert.True(await IntAsync(canvas, "markers") >= 1);

            // Dragging Berlin to the middle and zooming in with the wheel splits its cluster into its twenty machines.
            await page.ClickAsync("text=Whole fleet");
            await page.WaitForFunctionAsync("() => Number(document.querySelector('canvas.fleet-canvas').dataset.zoom) < 10");
            var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas");
            var (bx, by) = await PixelAsync(canvas, box, 52.52, 13.40);
            var (mx, my) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
            await page.Mouse.MoveAsync(bx, by);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(mx, my, new MouseMoveOptions { Steps = 8 });
            await page.Mouse.UpAsync();
            await NextFrameAsync(page);
            for (var k = 0; k < 40 && await NumberAsync(canvas, "zoom") < 15; k++)
            {
                await page.Mouse.WheelAsync(0, -100);
                await NextFrameAsync(page);
            }

            Assert.Equal(15, await NumberAsync(canvas, "zoom"));
            await page.WaitForFunctionAsync($"() => document.querySelector('canvas.fleet-canvas').dataset.markers === '{PerCity}'");
            Assert.Equal(0, await IntAsync(canvas, "clusters"));

            // A plan request is posted and its assignment drawn as a line from the machine to the site.
            await page.ClickAsync(".fleet-plan summary");
            await page.FillAsync(".fleet-plan-input", System.Text.Json.JsonSerializer.Serialize(new
            {
                requests = new[] { new { id = 1, category = "excavator", latitude = 53.0, longitude = 10.0, from = "2030-01-01T00:00:00Z", to = "2030-01-02T00:00:00Z" } },
                machines = new[] { new { machineId = kit.MachineId, category = "excavator", dailyRate = 100.0 } },
            }));
            await page.ClickAsync(".fleet-plan button");
            await page.WaitForSelectorAsync("canvas.fleet-canvas[data-plan-lines='1']");
            await Assertions.Expect(page.Locator(".fleet-plan")).ToContainTextAsync("1 assigned");

            // Live: a machine's first position brings it onto the map; a moved machine counts as an update.
            var updates = await IntAsync(canvas, "updates");
            await late.SendAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), new { latitude = 50.94, longitude = 6.96 });
            await page.WaitForSelectorAsync($"canvas.fleet-canvas[data-machines='{(2 * PerCity) + 2}']");
            Assert.True(await IntAsync(canvas, "updates") > updates);
            await BrowserHost.ScreenshotAsync(page, "fleet-screen");
            Assert.Empty(fixture.Errors);
        }
        finally
        {
            devices.ForEach(d => d.Dispose());
        }
    }

    [Fact]
    public async Task The_fleet_screen_reads_no_OEE_or_risk_and_the_big_screen_does()
    {
        // At a fleet's size every poll is a large read beside ingest: a screen reads only what it draws.
        using var kit = await FleetKit.CreateAsync(fixture.Host);
        var page = await fixture.NewPageAsync();
        var reads = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => reads.Enqueue(new Uri(request.Url).AbsolutePath);
        await page.GotoAsync(new Uri(fixture.Host.BaseAddress, "/dashboard#/fleet").ToString());
        await page.FillAsync("#key", kit.Tenant.ViewerKey);
        await page.ClickAsync("#signin-form button[type=submit]");
        // The positions are read after the plant started its polls, so a KPI or risk read at start would already be listed.
        await page.WaitForSelectorAsync("canvas.fleet-canvas[data-machines]");
        await page.WaitForFunctionAsync("() => document.getElementById('link').dataset.link === 'up'");
        Assert.Contains("/api/v1/fleet/positions", reads);
        Assert.Contains("/api/v1/states", reads);
        Assert.DoesNotContain(reads, path => path.StartsWith("/api/v1/kpis", StringComparison.Ordinal) || path == "/api/v1/risk");

        await page.EvaluateAsync("() => { location.hash = '#/'; }");
        await page.WaitForSelectorAsync("#screen");
        await Eventually.TrueAsync(() => reads.Contains("/api/v1/kpis/machines") && reads.Contains("/api/v1/risk"), "the big screen reads OEE and risk");
    }

    private static async Task NextFrameAsync(IPage page) =>
        await page.EvaluateAsync("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");

    private static async Task<double> NumberAsync(ILocator canvas, string name) =>
        double.Parse(await canvas.GetAttributeAsync("data-" + name) ?? "NaN", CultureInfo.InvariantCulture);

    /// <summary>Where a position is on the page, from the view's centre (Web Mercator unit square) and zoom the canvas reports.</summary>
    private static async Task<(float X, float Y)> PixelAsync(ILocator canvas, LocatorBoundingBoxResult box, double lat, double lon)
    {
        var scale = 256 * Math.Pow(2, await NumberAsync(canvas, "zoom"));
        var s = Math.Sin(lat * Math.PI / 180);
        var (x, y) = ((lon + 180) / 360, 0.5 - (Math.Log((1 + s) / (1 - s)) / (4 * Math.PI)));
        return ((float)(box.X + ((x - await NumberAsync(canvas, "cx")) * scale) + (Math.Round(box.Width) / 2)),
            (float)(box.Y + ((y - await NumberAsync(canvas, "cy")) * scale) + (Math.Round(box.Height) / 2)));
    }

    private static async Task<int> IntAsync(ILocator canvas, string name) =>
        int.Parse(await canvas.GetAttributeAsync("data-" + name) ?? "-1", CultureInfo.InvariantCulture);
}
