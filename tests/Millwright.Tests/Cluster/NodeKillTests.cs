using Millwright.Bench.Cluster;
using Millwright.Features.ClusterIngest;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The kill -9 test: three node processes of one cluster on PostgreSQL and the private RabbitMQ, devices
/// spread over them publishing QoS 1 points, and the node holding the store's appender killed with SIGKILL under
/// load, or frozen past its lease and resumed. The scenario is the one `millwright bench cluster` runs
/// (bench/Millwright.Load/Cluster), smaller.
/// </summary>
public sealed class NodeKillTests
{
    [Fact]
    public async Task Killing_the_appending_node_under_load_loses_no_acknowledged_point_and_stores_none_twice()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("mw-kill-test-").FullName;
        var settings = new ClusterScenario.Settings(Nodes: 3, Kill: 1, Duration: TimeSpan.FromSeconds(12), Devices: 12, Rate: 10, Window: 100)
        {
            WarmUp = TimeSpan.FromSeconds(3),
        };
        ClusterOutcome? outcome = null;
        try
        {
            outcome = await ClusterScenario.RunAsync(settings, database.ConnectionString, TestRabbitMq.Uri, directory, _ => { }, CancellationToken.None);

            // Every device's points were acknowledged in the end (the dead node's devices found another node and sent
            // again what it had not acknowledged), each is in the store, and none is there twice.
            Assert.Equal(outcome.Sent, outcome.Acked);
            Assert.Equal(0, outcome.Lost);
            Assert.Equal(0, outcome.Duplicates);
            Assert.Equal(outcome.Sent, outcome.Stored);

            // The killed node's four devices lost their connection and went elsewhere; its leases were taken over.
            Assert.True(outcome.Reconnects >= 4, $"reconnects {outcome.Reconnects}");
            Assert.NotNull(outcome.TakeoverSeconds);
        }
        finally
        {
            if (outcome is not null)
            {
                await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(outcome.Cluster));
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Freezing_the_appending_node_past_its_lease_and_resuming_it_loses_nothing_and_stores_nothing_twice()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("mw-freeze-test-").FullName;
        var settings = new ClusterScenario.Settings(Nodes: 3, Kill: 0, Duration: TimeSpan.FromSeconds(16), Devices: 12, Rate: 10, Window: 100)
        {
            WarmUp = TimeSpan.FromSeconds(3),
            Pause = TimeSpan.FromSeconds(8),
        };
        ClusterOutcome? outcome = null;
        try
        {
            outcome = await ClusterScenario.RunAsync(settings, database.ConnectionString, TestRabbitMq.Uri, directory, _ => { }, CancellationToken.None);

            // While it was frozen (SIGSTOP) the others took its leases; resumed, it wrote nothing with its old token
            // (its frozen commit was ended by the server, its later ones refused by the fence): nothing acknowledged
            // is missing and nothing is there twice.
            Assert.NotNull(outcome.TakeoverSeconds);
            Assert.Equal(outcome.Sent, outcome.Acked);
            Assert.Equal(0, outcome.Lost);
            Assert.Equal(0, outcome.Duplicates);
            Assert.Equal(outcome.Sent, outcome.Stored);
        }
        finally
        {
            if (outcome is not null)
            {
                await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(outcome.Cluster));
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
