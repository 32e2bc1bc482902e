using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Millwright.Bench.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The network trouble: what a cluster stands on (RabbitMQ, PostgreSQL) is stopped for several seconds under
/// load and started again. Two node processes, devices on both publishing QoS 1 points (those on the node that does
/// not append cross to the appender), and on the second node a dashboard and an integration with a kept session. Each
/// test stops a server of its own (a private RabbitMQ or PostgreSQL in a temp directory), never the shared ones.
/// </summary>
public sealed class NetworkTroubleTests(ITestOutputHelper output)
{
    /// <summary>How long the server stays away: past a lease (4 s) and the broker's heartbeat (2 × 2 s).</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    // Fails today, a finding not yet fixed: after RabbitMQ is killed for 6 s and started again, points acknowledged
    // to the devices do not all reach the integration's kept session within 30 s (docs/cluster.md, "Network trouble").
    [Fact(Skip = "Open defect (issue 22): a kept session misses points acknowledged around a RabbitMQ restart")]
    public async Task RabbitMQ_stopped_and_started_under_load_loses_no_acknowledged_point_and_the_nodes_recover_on_their_own()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("mw-rabbit-trouble-").FullName;
        var rabbit = await LocalRabbitMq.StartAsync(directory, CancellationToken.None);
        await using var onlookers = new TelemetryOnlookers();
        long back = 0;
        var settings = Scenario(onlookers, ("RabbitMQ", async (stage, ct) =>
        {
            // The broker dies (SIGKILL, as a crash) and is started again on its data later.
            var stopped = Stopwatch.GetTimestamp();
            await rabbit.StopAsync();
            output.WriteLine($"RabbitMQ stopped after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");

            // Both nodes say so on /health while the broker is away.
            foreach (var node in stage.Nodes)
            {
                await AwaitHealthAsync(node, HttpStatusCode.ServiceUnavailable, "Broker unavailable");
            }

            output.WriteLine($"both nodes report it on /health after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
            await HoldAsync(stopped);
            await rabbit.StartAgainAsync(ct);
            output.WriteLine($"RabbitMQ listens again after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
            foreach (var node in stage.Nodes)
            {
                await AwaitHealthAsync(node, HttpStatusCode.OK, null);
            }

            back = Stopwatch.GetTimestamp();
            output.WriteLine($"both nodes healthy after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
        }), (stage, _) => CheckOnlookersAsync(stage, onlookers, back));
        try
        {
            var outcome = await ClusterScenario.RunAsync(settings, database.ConnectionString, rabbit.Uri, directory, output.WriteLine, CancellationToken.None);
            Report(outcome, onlookers);
            AssertExactlyOnce(outcome);
        }
        catch
        {
            WarningsOfNodes(directory);
            throw;
        }
        finally
        {
            await rabbit.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_started_under_load_loses_no_acknowledged_point_and_the_nodes_lead_again_with_newer_tokens()
    {
        var directory = Directory.CreateTempSubdirectory("mw-pg-trouble-").FullName;
        var postgres = await LocalPostgres.StartAsync(directory, CancellationToken.None);
        await using var onlookers = new TelemetryOnlookers();
        long back = 0;
        Dictionary<(string Cluster, int Bucket), long> tokensBefore = [];
        var settings = Scenario(onlookers, ("PostgreSQL", async (stage, ct) =>
        {
            tokensBefore = await TokensAsync(postgres.ConnectionString);
            var stopped = Stopwatch.GetTimestamp();
            await postgres.StopAsync(ct);
            output.WriteLine($"PostgreSQL stopped after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
            foreach (var node in stage.Nodes)
            {
                await AwaitHealthAsync(node, HttpStatusCode.ServiceUnavailable, "Store unavailable");
            }

            output.WriteLine($"both nodes report it on /health after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
            await HoldAsync(stopped);
            await postgres.StartAgainAsync(ct);
            output.WriteLine($"PostgreSQL accepts connections again after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
            foreach (var node in stage.Nodes)
            {
                await AwaitHealthAsync(node, HttpStatusCode.OK, null);
            }

            back = Stopwatch.GetTimestamp();
            output.WriteLine($"both nodes healthy after {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s");
        }), async (stage, ct) =>
        {
            await CheckOnlookersAsync(stage, onlookers, back);

            // The leases ran out while the database was away: every bucket and the ingest lease are held again by a
            // live node, under a token at least the one before (a new holder gets a larger one, never a reused one).
            await Eventually.TrueAsync(async () => (await HeldAsync(postgres.ConnectionString)).Count == tokensBefore.Count, "every lease to be held again");
            var after = await TokensAsync(postgres.ConnectionString);
            Assert.All(tokensBefore, before => Assert.True(after[before.Key] >= before.Value, $"{before.Key}: token {after[before.Key]} after {before.Value}"));
        });
        try
        {
            var outcome = await ClusterScenario.RunAsync(settings, postgres.ConnectionString, TestRabbitMq.Uri, directory, output.WriteLine, CancellationToken.None);
            Report(outcome, onlookers);
            AssertExactlyOnce(outcome);
        }
        catch
        {
            WarningsOfNodes(directory);
            throw;
        }
        finally
        {
            // The test's queues on the shared broker: the ingest queue and the kept session's. The private server is
            // stopped whatever happens (a failed read here once left it running).
            try
            {
                await TestRabbitMq.DeleteQueuesAsync([.. await QueuesAsync(postgres.ConnectionString)]);
            }
            finally
            {
                await postgres.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Two nodes, six devices (three on each) at 10 points/s, the onlookers on the second node, the trouble at half time.</summary>
    private static ClusterScenario.Settings Scenario(TelemetryOnlookers onlookers, (string, Func<ClusterScenario.Stage, CancellationToken, Task>) trouble,
        Func<ClusterScenario.Stage, CancellationToken, Task> drained) =>
        new(Nodes: 2, Kill: 0, Duration: TimeSpan.FromSeconds(8), Devices: 6, Rate: 10, Window: 100)
        {
            WarmUp = TimeSpan.FromSeconds(3),
            AfterFault = TimeSpan.FromSeconds(4),
            Started = (stage, ct) => onlookers.StartAsync(stage, stage.Nodes[1], ct),
            Trouble = trouble,
            Drained = drained,
        };

    /// <summary>
    /// Every point acknowledged to a device reached the kept session (it resumed, its queue is consumed again), and the
    /// dashboard hears every device again, those on the other node too (the bridge relinked).
    /// </summary>
    private static async Task CheckOnlookersAsync(ClusterScenario.Stage stage, TelemetryOnlookers onlookers, long back)
    {
        Assert.NotEqual(0, back);
        await Eventually.TrueAsync(() => onlookers.MissingFromKeptSession(stage.Devices).Count == 0,
            "every acknowledged point to reach the kept session", TimeSpan.FromSeconds(30));
        Assert.Empty(onlookers.SilentForDashboardSince(stage.Devices, back));
    }

    private static void AssertExactlyOnce(ClusterOutcome outcome)
    {
        Assert.Equal(outcome.Sent, outcome.Acked);
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(0, outcome.Duplicates);
        Assert.Equal(outcome.Sent, outcome.Stored);
    }

    private void Report(ClusterOutcome outcome, TelemetryOnlookers onlookers)
    {
        foreach (var line in outcome.Details())
        {
            output.WriteLine(line);
        }

        output.WriteLine(outcome.Summary);
        output.WriteLine($"the kept session resumed {onlookers.Resumes} times");
    }

    /// <summary>On a failure: what the nodes warned about, from their logs.</summary>
    private void WarningsOfNodes(string directory)
    {
        foreach (var log in Directory.EnumerateFiles(directory, "node.log", SearchOption.AllDirectories))
        {
            output.WriteLine($"--- {log}");
            var lines = File.ReadAllLines(log);
            foreach (var line in lines.Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).TakeLast(20))
            {
                output.WriteLine(line);
            }

            // A failure with its stack: which service, where.
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("fail:", StringComparison.Ordinal))
                {
                    foreach (var line in lines.Skip(i).Take(40))
                    {
                        output.WriteLine(line);
                    }
                }
            }
        }
    }

    /// <summary>Keeps the server away until <see cref="Outage"/> has passed since it stopped.</summary>
    private static async Task HoldAsync(long stopped)
    {
        var left = Outage - Stopwatch.GetElapsedTime(stopped);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    private static async Task AwaitHealthAsync(NodeProcess node, HttpStatusCode status, string? title)
    {
        using var client = new HttpClient { BaseAddress = node.Api, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode != status)
                {
                    return false;
                }

                return title is null || JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString() == title;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, $"node {node.Index}'s /health to answer {(int)status} {title}", TimeSpan.FromSeconds(60));
    }

    private static async Task<Dictionary<(string Cluster, int Bucket), long>> TokensAsync(string connectionString)
    {
        await using var connection = Unpooled(connectionString);
        return (await connection.QueryAsync<(string Cluster, int Bucket, long Token)>("SELECT cluster, bucket, token FROM cluster_leases"))
            .ToDictionary(r => (r.Cluster, r.Bucket), r => r.Token);
    }

    /// <summary>The leases held now by a live node, with an expiry still ahead.</summary>
    private static async Task<Dictionary<(string Cluster, int Bucket), long>> HeldAsync(string connectionString)
    {
        await using var connection = Unpooled(connectionString);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return (await connection.QueryAsync<(string Cluster, int Bucket, long Token)>(
            """
            SELECT l.cluster, l.bucket, l.token FROM cluster_leases l
            JOIN cluster_nodes n ON n.cluster = l.cluster AND n.node_id = l.owner AND n.left_at IS NULL AND n.heartbeat_at > @cutoff
            WHERE l.expires_at > @now
            """, new { now, cutoff = now - 3_000 }))
            .ToDictionary(r => (r.Cluster, r.Bucket), r => r.Token);
    }

    /// <summary>A connection of the test's own, not from a pool: a pooled one opened before the restart is dead after it.</summary>
    private static NpgsqlConnection Unpooled(string connectionString) => new(connectionString + ";Pooling=false");

    private static async Task<List<string>> QueuesAsync(string connectionString)
    {
        await using var connection = Unpooled(connectionString);
        var clusters = await connection.QueryAsync<string>("SELECT DISTINCT cluster FROM cluster_nodes WHERE cluster NOT LIKE '%.%'");
        var sessions = await connection.QueryAsync<string>("SELECT queue FROM mqtt_sessions");
        return [.. clusters.Select(IngestQueues.Ingest), .. sessions];
    }
}
