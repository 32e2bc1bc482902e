using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Millwright.Features.Metrics;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Metrics;

/// <summary>
/// /metrics for the operator: Prometheus text on the HTTP listener for the platform admin, and on the separate
/// --metrics listener for anyone who can reach it. Metrics do not touch the store, so SQLite alone is enough.
/// </summary>
public sealed class MetricsTests
{
    private static readonly string[] Names =
    [
        "millwright_telemetry_messages_total",
        "millwright_telemetry_readings_total",
        "millwright_telemetry_queue",
        "millwright_telemetry_commit_seconds_bucket",
        "millwright_timeseries_points_appended_total",
        "millwright_mqtt_connections",
    ];

    [Fact]
    public async Task A_platform_admin_scrapes_the_metrics_after_some_telemetry_and_others_are_refused()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true);
        using var kit = await AlarmKit.CreateAsync(host);
        await kit.SendAsync(new { power = 12.5 });
        await kit.SyncAsync();

        using var platform = host.Platform();
        var text = await ScrapeUntilAsync(platform, Names);

        Assert.Contains("# TYPE millwright_telemetry_messages_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE millwright_telemetry_commit_seconds histogram", text, StringComparison.Ordinal);
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Tenant.Viewer.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Tenant.Admin.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task The_separate_metrics_listener_serves_metrics_without_a_key_and_nothing_else()
    {
        var port = FreePort();
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true,
            configure: o => o with { Metrics = new IPEndPoint(IPAddress.Loopback, port) });
        using var kit = await AlarmKit.CreateAsync(host);
        await kit.SendAsync(new { power = 3 });
        await kit.SyncAsync();
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var text = await ScrapeUntilAsync(scraper, Names);

        Assert.StartsWith("text/plain", (await scraper.GetAsync("/metrics")).Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("millwright_telemetry_messages_total", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/api/v1/machines")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/health")).StatusCode);
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void Tenant_labels_stop_growing_at_their_bound()
    {
        var labels = new TenantLabels();
        for (var tenant = 1; tenant <= TenantLabels.Capacity; tenant++)
        {
            Assert.Equal(tenant.ToString(System.Globalization.CultureInfo.InvariantCulture), labels.For(tenant).Value);
        }

        Assert.Equal(TenantLabels.Other, labels.For(TenantLabels.Capacity + 1).Value);
        Assert.Equal("7", labels.For(7).Value);
    }

    /// <summary>Counters reach the exporter as the pipeline commits; scrape until every name shows, with a deadline.</summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient client, IReadOnlyList<string> names)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            var missing = names.Where(n => !text.Contains(n, StringComparison.Ordinal)).ToList();
            if (missing.Count == 0)
            {
                return text;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"missing {string.Join(", ", missing)} in:\n{text}");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
