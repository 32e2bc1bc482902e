using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

/// <summary>
/// The time-series store keeps one connection of its own; when the database ends it (a restart, a failover), the
/// store is opened again at the next failed batch, so ingest goes on once the database is back (PostgreSQL).
/// </summary>
public sealed class StoreReconnectTests
{
    [Fact]
    public async Task After_the_database_ended_every_session_ingest_goes_on_and_nothing_acknowledged_is_lost()
    {
        await using var host = await TestHost.StartAsync(postgres: true);
        using var t = await host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = host.Client(null);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        using (var first = await PostAsync(device, ts, 1))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        // As in a database restart: the server ends every session of the platform, the store's own among them.
        await using (var c = await host.Database.OpenAsync())
        {
            await c.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }

        var n = 1;
        await Eventually.TrueAsync(async () =>
        {
            n++;
            using var again = await PostAsync(device, ts + (n * 1000), n);
            return again.StatusCode == HttpStatusCode.Accepted;
        }, "a value is acknowledged again after the database ended the sessions");

        var points = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series/power/points?from={ts}&to={ts + (n * 1000) + 1}"))["points"]!.AsArray();
        var values = points.Select(p => p!["value"]!.GetValue<double>()).ToList();
        Assert.Contains(1.0, values);
        Assert.Contains((double)n, values);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient device, long ts, int value) =>
        device.PostAsync(
            new Uri("/api/v1/telemetry", UriKind.Relative),
            new StringContent(string.Create(CultureInfo.InvariantCulture, $$$"""{"ts": {{{ts}}}, "values": {"power": {{{value}}}}}"""), Encoding.UTF8, "application/json"));
}
