using Millwright.Storage;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>A migrated PostgreSQL database of the test class's own (cluster mode exists only on PostgreSQL).</summary>
#pragma warning disable CA1001 // xunit disposes a class fixture through IAsyncLifetime.DisposeAsync, which disposes the store
public sealed class ClusterDatabase : IAsyncLifetime
#pragma warning restore CA1001
{
    private TestPostgresDatabase? _created;
    private PostgresDatabase? _database;

    internal IDatabase Database => _database ?? throw new InvalidOperationException("the store did not open");

    public async Task InitializeAsync()
    {
        _created = await TestPostgres.CreateDatabaseAsync();
        _database = new PostgresDatabase(_created.ConnectionString);
        await _database.MigrateAsync();
    }

    /// <summary>
    /// Forgets every cluster of earlier tests (a store serves one live cluster at a time, and a test's "dead" nodes
    /// heartbeat on a manual clock the next test's clock does not share). Tests of a class run one after another.
    /// </summary>
    public async Task ForgetClustersAsync()
    {
        await using var c = await Database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM cluster_nodes; DELETE FROM cluster_leases; DELETE FROM cluster_handovers");
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_created is not null)
        {
            await _created.DisposeAsync();
        }
    }
}
