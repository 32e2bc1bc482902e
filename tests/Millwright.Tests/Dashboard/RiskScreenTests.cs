using Millwright.Tests.Harness;
using static Millwright.Tests.Maintenance.WearHistory;

namespace Millwright.Tests.Dashboard;

/// <summary>Failure risk in headless Chromium: on the big screen's tiles when it is notable, and on the machine page.</summary>
public sealed class RiskScreenTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    [Fact]
    public async Task A_machine_at_risk_shows_its_risk_on_its_tile_and_page_and_a_steady_one_shows_none()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, _) = await DegradingMachinesAsync(fixture.Host, t, plant.LineId, plant.Marker);
        var atRisk = await t.Viewer.GetJsonAsync($"/api/v1/machines/{ids[2]}/risk");
        Assert.True(atRisk["nextDay"]!.GetValue<double>() >= 0.5, atRisk.ToJsonString());

        var page = await fixture.SignedInPageAsync(t.ViewerKey);
        var risky = page.Locator($".tile[data-machine='{ids[2]}'] .risk-badge[data-risk=high]");
        await risky.WaitForAsync();
        var text = await risky.InnerTextAsync();
        Assert.Matches(@"^8h \d+% · 24h \d+%$", text);
        Assert.EndsWith(atRisk["explanation"]!.GetValue<string>(), await risky.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
        Assert.StartsWith("Failure risk: next shift", await risky.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
        // Inside its tile: the tile's size is fixed and nothing is clipped.
        var badge = await risky.BoundingBoxAsync() ?? throw new InvalidOperationException("no badge");
        var box = await page.Locator($".tile[data-machine='{ids[2]}']").BoundingBoxAsync() ?? throw new InvalidOperationException("no tile");
        Assert.True(badge.X + badge.Width <= box.X + box.Width && badge.Y + badge.Height <= box.Y + box.Height, $"badge {badge.X}+{badge.Width} in tile {box.X}+{box.Width}");
        // The steady machine (risk 0) and the one without a wear tag show no risk at all.
        foreach (var quiet in new[] { ids[3], plant.MachineId })
        {
            var tile = page.Locator($".tile[data-machine='{quiet}'] .risk-badge");
            Assert.Equal("", await tile.InnerTextAsync());
            Assert.Equal("", await tile.GetAttributeAsync("data-risk"));
        }

        await BrowserHost.ScreenshotAsync(page, "big-screen-risk");

        await page.ClickAsync($".tile[data-machine='{ids[2]}']");
        var panel = page.Locator("#risk .risk[data-risk=high]");
        await panel.WaitForAsync();
        Assert.Contains("Next shift", await panel.Locator(".risk-figures").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(atRisk["explanation"]!.GetValue<string>(), await panel.Locator(".risk-explanation").InnerTextAsync());
        Assert.Empty(fixture.Errors);
    }

    [Fact]
    public async Task An_operator_confirms_a_maintenance_stop_on_the_machine_page_and_the_part_starts_again()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var (ids, now) = await DegradingMachinesAsync(fixture.Host, t, plant.LineId, plant.Marker);
        var (from, to) = (DateTimeOffset.FromUnixTimeMilliseconds(now - (2 * Hour)), DateTimeOffset.FromUnixTimeMilliseconds(now - (30 * 60_000)));
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from, to, machineId = ids[2], reason = "predictive maintenance (vibration)" } },
        }, System.Net.HttpStatusCode.OK);

        var page = await fixture.SignedInPageAsync(t.OperatorKey);
        await page.ClickAsync($".tile[data-machine='{ids[2]}']");
        await page.Locator("#risk .risk[data-risk=high]").WaitForAsync();
        Assert.Equal("No maintenance recorded.", await page.Locator("#risk .risk-last").InnerTextAsync());
        Assert.Equal(1, await page.Locator("#record-repair").CountAsync());  // its earlier breakdown is not recorded either

        await page.ClickAsync("#confirm-maintenance");
        await page.Locator("#risk .risk[data-risk=unknown]").WaitForAsync();
        Assert.StartsWith("Last maintenance:", await page.Locator("#risk .risk-last").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#confirm-maintenance, #record-repair").CountAsync());
        var record = Assert.Single(await t.Viewer.ListAsync($"/api/v1/machines/{ids[2]}/maintenance-records"))!;
        Assert.Equal((to, from), (record["doneAt"]!.GetValue<DateTimeOffset>(), record["plannedStopFrom"]!.GetValue<DateTimeOffset>()));
        Assert.Empty(fixture.Errors);
    }
}
