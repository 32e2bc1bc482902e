using Millwright.Features.ClusterIngest;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Two real nodes of one cluster on one PostgreSQL database and the private RabbitMQ: <see cref="Appender"/>
/// started first and holds the ingest lease, <see cref="Forwarder"/> joined second and forwards.
/// </summary>
#pragma warning disable CA1001 // xunit disposes a class fixture through IAsyncLifetime.DisposeAsync
public sealed class IngestCluster : IAsyncLifetime
#pragma warning restore CA1001
{
    private TestPostgresDatabase? _database;

    public string Name { get; } = TestRabbitMq.NewClusterName();

    internal ClusterPeer Appender { get; private set; } = null!;

    internal ClusterPeer Forwarder { get; private set; } = null!;

    internal ClusterPlant Plant { get; private set; } = null!;

    /// <summary>The platform admin's key (what reads <c>/metrics</c> on the HTTP listener).</summary>
    internal string PlatformKey { get; private set; } = null!;

    internal string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Appender = await ClusterPeer.StartAsync(_database.ConnectionString, Name, "node-a", TestRabbitMq.Uri);
        Forwarder = await ClusterPeer.StartAsync(_database.ConnectionString, Name, "node-b", TestRabbitMq.Uri);
        await using (var database = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), _database.ConnectionString).OpenAsync())
        {
            PlatformKey = await ClusterPlant.PlatformKeyAsync(database);
            Plant = await ClusterPlant.CreateAsync(Appender, PlatformKey);
        }
    }

    public async Task DisposeAsync()
    {
        await Forwarder.DisposeAsync();
        await Appender.DisposeAsync();
        await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(Name));
        await _database!.DisposeAsync();
    }
}
