using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>The machine page in headless Chromium: the anomaly detector's band of expected values around a tag's chart, and marks at anomalies.</summary>
public sealed class AnomalyBandPageTests(BrowserAnomalyHost fixture) : IClassFixture<BrowserAnomalyHost>
{
    [Fact]
    public async Task The_machine_page_draws_the_expected_band_around_the_chart_and_marks_the_anomaly()
    {
        using var plant = await DashboardPlant.CreateAsync(fixture.Host);
        // Power (watched by default: a float gauge) about 20 kW, one reading a second from 20 minutes ago, then 26 kW:
        // far outside what was learned, yet near enough that the band is not squeezed flat by the axis.
        var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000) - (20 * 60_000);
        var random = new Random(11);
        var samples = Enumerable.Range(0, 300)
            .Select(i => (object)new { ts = start + (i * 1000L), values = new { power = 20 + ((random.NextDouble() - 0.5) * 0.6), alarm_code = 0 } })
            .Append(new { ts = start + (300 * 1000L), values = new { power = 26.0, alarm_code = 0 } })
            .ToList();
        using (var response = await plant.Device.PostAsync("/api/v1/telemetry", new StringContent(JsonSerializer.Serialize(samples), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var anomalies = await Eventually.ValueAsync(() => plant.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/anomalies?tag=power"),
            s => s["anomalies"]!.AsArray().Any(a => a!["value"]!.GetValue<double>() == 26), "the 26 kW reading to be an anomaly");

        var page = await fixture.SignedInPageAsync(plant.Tenant.ViewerKey, $"#/machine/{plant.MachineId}");
        var chart = page.Locator(".chart[data-tag=power][data-band]");
        await chart.Locator("canvas").WaitForAsync();
        Assert.InRange(int.Parse(await chart.GetAttributeAsync("data-band") ?? "0", CultureInfo.InvariantCulture), 4, 7);
        Assert.Equal(anomalies["anomalies"]!.AsArray().Count, int.Parse(await chart.GetAttributeAsync("data-anomalies") ?? "0", CultureInfo.InvariantCulture));
        var mark = page.Locator(".anomaly-list[data-tag=power] li").First;
        Assert.Contains("26", await mark.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("expected", await mark.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);

        // What is on the canvas: the band's green and the mark's red, besides the blue line of the readings.
        var colours = await chart.Locator("canvas").EvaluateAsync<int[]>(
            """
            c => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let green = 0, red = 0;
              for (let i = 0; i < d.length; i += 4) {
                const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
                if (a > 0 && g > r + 40 && g > b + 40) green++;
                if (a > 200 && r > 200 && g < 110 && b < 110) red++;
              }
              return [green, red];
            }
            """);
        await BrowserHost.ScreenshotAsync(page, "machine-anomaly-band");
        Assert.True(colours[0] > 500, $"green band pixels: {colours[0]}");
        Assert.True(colours[1] > 10, $"red mark pixels: {colours[1]}");
        Assert.Empty(fixture.Errors);
    }
}
