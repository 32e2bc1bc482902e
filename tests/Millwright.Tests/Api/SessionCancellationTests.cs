using Millwright.Api;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;
using Millwright.Testing;

namespace Millwright.Tests.Api;

/// <summary>A session runs every query under the request's token, so a request that is abandoned stops its SQL too.</summary>
public abstract class SessionCancellationTests : IAsyncLifetime
{
    private IDatabase? _database;

    private protected IDatabase Database => _database ?? throw new InvalidOperationException("the store did not open");

    private protected abstract Task<IDatabase> OpenAsync();

    public async Task InitializeAsync() => _database = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_query_after_the_request_is_cancelled_is_refused_and_nothing_commits()
    {
        using var aborted = new CancellationTokenSource();
        var sessions = new Sessions(Database, TimeProvider.System);
        Exception? refused = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sessions.RunAsync(Caller.CommandLine(null), async s =>
        {
            await s.ExecuteAsync("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES ('before-abort', 'Before', 0, 0)");
            await aborted.CancelAsync();
            // The query itself must refuse, not only the commit after it.
            refused = await Record.ExceptionAsync(() => s.ExecuteAsync("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES ('after-abort', 'After', 0, 0)"));
            return 0;
        }, aborted.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(refused);
        var left = await sessions.RunAsync(Caller.CommandLine(null), s => s.ScalarAsync<long>("SELECT COUNT(*) FROM tenants WHERE slug IN ('before-abort', 'after-abort')"));
        Assert.Equal(0, left);
    }

    public sealed class OnSqlite : SessionCancellationTests
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("mw-cancel-").FullName;

        private protected override Task<IDatabase> OpenAsync() => new StoreOptions(_directory, null).OpenAsync();

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    public sealed class OnPostgres : SessionCancellationTests
    {
        private TestPostgresDatabase? _server;

        private protected override async Task<IDatabase> OpenAsync()
        {
            _server = await TestPostgres.CreateDatabaseAsync();
            return await new StoreOptions("", _server.ConnectionString).OpenAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }

        [Fact]
        public async Task A_running_query_of_a_cancelled_request_is_cancelled_on_the_server()
        {
            using var aborted = new CancellationTokenSource();
            var sessions = new Sessions(Database, TimeProvider.System);

            // Without the token the statement would sleep for ten minutes, on the server and in this test.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sessions.RunAsync(Caller.CommandLine(null), async s =>
            {
                var sleeping = s.ScalarAsync<string>("SELECT pg_sleep(600)::text");
                await aborted.CancelAsync();
                return await sleeping;
            }, aborted.Token));

            // Npgsql returns from a cancellation once the server has answered it, so the backend is no longer sleeping.
            var stillSleeping = await sessions.RunAsync(Caller.CommandLine(null), s => s.ScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(600)%'"));
            Assert.Equal(0, stillSleeping);
        }
    }
}
