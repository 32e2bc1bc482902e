using Millwright.Features.Cluster;
using Millwright.Testing;
using RabbitMQ.Client;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The node's second RabbitMQ connection, the one the client library never recovers (kept sessions' feeds, the MQTT
/// bridge): /health shows it, its users open it again after a loss, and a stopping node closes it and opens no new one.
/// </summary>
public sealed class AmqpLinkTests
{
    [Fact]
    public async Task A_lost_self_managed_connection_is_reported_and_opened_again_and_a_stopping_node_closes_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, TestRabbitMq.NewClusterName(), "node-a", TestRabbitMq.Uri);
        var link = a.Service<AmqpLink>();
        using var health = new HttpClient { BaseAddress = a.BaseAddress };
        await Eventually.TrueAsync(async () =>
        {
            using var response = await health.GetAsync(new Uri("/health", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }, "node a to be healthy");
        var first = await link.SelfManagedAsync(CancellationToken.None);

        // Lost (closed here as a broker would drop it): reported until a user opens it again, which the bridge does.
        // Read at once: the bridge opens a new one only a second (its retry) after its channel went.
        await first.CloseAsync();
        Assert.Contains("second connection to RabbitMQ", link.Problem);
        await Eventually.TrueAsync(() => link.Problem is null, "the bridge to open the connection again");
        var second = await link.SelfManagedAsync(CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.True(second.IsOpen);

        // A stopping node closes it and opens none again.
        await a.StopAsync();
        Assert.False(second.IsOpen);
        Assert.Equal(ShutdownInitiator.Application, second.CloseReason?.Initiator);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => link.SelfManagedAsync(CancellationToken.None));
    }
}
