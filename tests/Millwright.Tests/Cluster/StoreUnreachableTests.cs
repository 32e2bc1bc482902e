using System.Net;
using System.Net.Sockets;
using Millwright.Cli;
using Millwright.Features.Cluster;
using Millwright.Hosting;
using Millwright.Testing;
using Npgsql;

namespace Millwright.Tests.Cluster;

/// <summary>
/// A cluster node started before its PostgreSQL answers waits for it with back-off, saying why, and starts once it
/// answers (the real serve command in this process; the database is reached through a port that opens later).
/// </summary>
public sealed class StoreUnreachableTests
{
    [Fact]
    public async Task A_cluster_node_whose_PostgreSQL_is_not_up_yet_retries_with_back_off_and_starts_once_it_answers()
    {
        var name = TestRabbitMq.NewClusterName();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var real = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var port = FreePort();
        var late = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = port, Timeout = 2 }.ConnectionString;
        var directory = Directory.CreateTempSubdirectory("mw-late-").FullName;
        var errors = new StringWriter();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var http = FreePort();
        var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, http), new StoreOptions(directory, late))
        {
            Cluster = new ClusterOptions(name, "late-node") { Amqp = TestRabbitMq.Uri },
        };
        var serve = ServeCommand.RunAsync(options, TextWriter.Null, stop.Token, alongside: async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }, errors: TextWriter.Synchronized(errors));
        try
        {
            await Eventually.TrueAsync(() => Lines(errors).Count(l => l.Contains("retrying in", StringComparison.Ordinal)) >= 2,
                "two attempts to reach the store", TimeSpan.FromSeconds(30));
            var said = Lines(errors).First(l => l.Contains("retrying in", StringComparison.Ordinal));
            Assert.Contains($"127.0.0.1:{port}", said, StringComparison.Ordinal);
            Assert.Contains("(attempt 1)", said, StringComparison.Ordinal);
            Assert.False(started.Task.IsCompleted);

            // Meanwhile /health on the node's HTTP address says why it is not up.
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            using (var waiting = await client.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
                Assert.Equal("application/problem+json", waiting.Content.Headers.ContentType?.MediaType);
                var body = await waiting.Content.ReadAsStringAsync();
                Assert.Contains("Store unavailable", body, StringComparison.Ordinal);
                Assert.Contains("(attempt ", body, StringComparison.Ordinal);
            }

            // PostgreSQL "comes up": the port now leads to the real server.
            using var forward = new TcpForward(port, real.Host!, real.Port);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var up = await client.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, up.StatusCode);
            }

            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Ok, await serve);
        }
        finally
        {
            await stop.CancelAsync();
            await ((Task)serve).ContinueWith(_ => { }, TaskScheduler.Default);
            Directory.Delete(directory, recursive: true);
            await TestRabbitMq.DeleteQueuesAsync(Features.ClusterIngest.IngestQueues.Ingest(name));
        }
    }

    [Fact]
    public async Task A_single_node_whose_PostgreSQL_cannot_be_reached_fails_at_once()
    {
        var directory = Directory.CreateTempSubdirectory("mw-late-").FullName;
        try
        {
            var options = new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), new StoreOptions(directory, $"Host=127.0.0.1;Port={FreePort()};Username=postgres;Timeout=2"));
            var errors = new StringWriter();

            Assert.Equal(ExitCodes.StoreUnavailable, await ServeCommand.RunAsync(options, TextWriter.Null, CancellationToken.None, errors: errors));
            Assert.DoesNotContain("retrying", errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string[] Lines(StringWriter writer)
    {
        lock (writer)
        {
            return writer.ToString().Split('\n');
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Passes every connection to a loopback port on to the real server, both ways.</summary>
    private sealed class TcpForward : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        public TcpForward(int port, string host, int target)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = AcceptAsync(host, target);
        }

        private async Task AcceptAsync(string host, int target)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = PumpAsync(client, host, target);
            }
        }

        private async Task PumpAsync(TcpClient client, string host, int target)
        {
            using (client)
            using (var server = new TcpClient())
            {
                try
                {
                    await server.ConnectAsync(host, target, _stop.Token);
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    await Task.WhenAny(client.GetStream().CopyToAsync(server.GetStream(), both.Token), server.GetStream().CopyToAsync(client.GetStream(), both.Token));
                    await both.CancelAsync();
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _listener.Dispose();
            _stop.Dispose();
        }
    }
}
