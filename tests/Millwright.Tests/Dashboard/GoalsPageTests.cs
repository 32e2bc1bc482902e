using Microsoft.Playwright;
using Millwright.Tests.Harness;
using Millwright.Tests.States;

namespace Millwright.Tests.Dashboard;

/// <summary>The Goals page in headless Chromium: tiles from GET /api/v1/kpis/board, period pickers, honest empty tiles.</summary>
public sealed class GoalsPageTests(BrowserSqliteHost fixture) : IClassFixture<BrowserSqliteHost>
{
    [Fact]
    public async Task The_goals_page_compares_the_periods_picked_and_says_where_there_is_no_data_yet()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        await ShiftFixture.CreateAsync(t, fixture.Host.Database);
        var page = await fixture.SignedInPageAsync(t.ViewerKey);

        await page.ClickAsync("a[data-nav=goals]");
        await page.Locator(".goal[data-kpi=oee]").WaitForAsync();
        // The pickers hold wall-clock time in the browser's zone; the page turns them back into instants.
        foreach (var (name, at) in new[] { ("baselineFrom", 5), ("baselineTo", 9), ("currentFrom", 9), ("currentTo", 13) })
        {
            var local = await page.EvaluateAsync<string>(
                "iso => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }",
                ShiftFixture.At(at).ToString("O"));
            await page.FillAsync($"#goal-periods input[name={name}]", local);
        }

        await page.ClickAsync("#goal-periods button[type=submit]");

        // 276 good units in 9,300 s of running against 359 in 3.5 h (the API test works them out).
        var efficiency = page.Locator(".goal[data-kpi=productionEfficiency]");
        await Assertions.Expect(efficiency.Locator(".now")).ToHaveTextAsync("106.8 /h");
        await Assertions.Expect(efficiency.Locator(".base")).ToHaveTextAsync("baseline 102.6 /h");
        await Assertions.Expect(efficiency.Locator(".change")).ToHaveAttributeAsync("data-improved", "true");
        Assert.StartsWith("+4.2%", await efficiency.Locator(".change").TextContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".goal[data-kpi=energyUtilization] .change")).ToHaveAttributeAsync("data-improved", "false");
        Assert.True(await efficiency.Locator("svg.spark polyline").CountAsync() > 0);
        foreach (var key in new[] { "inventoryTurnover", "leadTime", "onTimeDelivery" })
        {
            await Assertions.Expect(page.Locator($".goal[data-kpi={key}] .nodata")).ToHaveTextAsync("no data yet");
        }

        await BrowserHost.ScreenshotAsync(page, "goals");
        Assert.Empty(fixture.Errors);
    }
}
