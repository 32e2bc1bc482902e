using System.Net;
using Dapper;
using Microsoft.Extensions.Hosting;
using Millwright.Tests.Harness;
using Npgsql;

namespace Millwright.Tests.Hosting;

/// <summary>
/// Every hosted service's loop survives a store outage (issue 22): a loop whose tick meets a store that refuses every
/// connection logs it and waits for its next tick; none of them ends the host (a hosted service that throws out of its
/// loop stops the whole application). PostgreSQL: the database refuses connections (<c>ALLOW_CONNECTIONS false</c>,
/// every session ended) while the app's clock is moved past the periods of its loops, several times.
/// </summary>
public sealed class StoreOutageLoopTests
{
    [Fact]
    public async Task Loops_that_meet_a_store_refusing_every_connection_wait_for_their_next_tick_and_the_host_stays_up()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(postgres: true, clock: clock);
        var lifetime = host.Service<IHostApplicationLifetime>();
        string database;
        await using (var own = await host.Database.OpenAsync())
        {
            database = await own.ExecuteScalarAsync<string>("SELECT current_database()") ?? throw new InvalidOperationException("no database name");
        }

        // Every loop is waiting for its next tick: as many timers as that are armed again after each round.
        await Eventually.TrueAsync(() => clock.ActiveTimers > 0, "the app's loops to wait for their first tick");
        var waiting = clock.ActiveTimers;
        await RefuseConnectionsAsync(database, refuse: true);
        try
        {
            // An hour and a minute, three times: past the fleet's service check (1 min), maintenance planning (1 h), the
            // ERP notifier, the dispatch checks and every shorter loop. Each tick meets the refusing store.
            for (var round = 0; round < 3; round++)
            {
                clock.Advance(TimeSpan.FromMinutes(61));
                await Eventually.TrueAsync(() => lifetime.ApplicationStopping.IsCancellationRequested || clock.ActiveTimers >= waiting,
                    $"round {round}: every loop to wait for its next tick again");
                Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, $"round {round}: a loop ended the host");
            }
        }
        finally
        {
            await RefuseConnectionsAsync(database, refuse: false);
        }

        // The store is back: the app answers as before, and nothing asked it to stop.
        using var platform = host.Platform();
        await Eventually.TrueAsync(async () => (await platform.GetAsync(new Uri("/api/v1/tenants", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            "the API to answer from the store again");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    /// <summary>The database refuses every new connection and ends those it has (as a server going away does), or takes them again.</summary>
    private static async Task RefuseConnectionsAsync(string database, bool refuse)
    {
        await using var admin = new NpgsqlConnection(TestPostgres.MaintenanceConnectionString);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(refuse ? "false" : "true")}");
        if (refuse)
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", new { database });
        }
    }
}
