using Millwright.Hosting;
using RabbitMQ.Client;

namespace Millwright.Features.Cluster;

/// <summary>
/// The node's one connection to RabbitMQ (<c>--amqp</c>). A broker out of reach at start is retried with
/// back-off (1 s, doubling to 30 s) and reported on /health meanwhile; once connected, the client's automatic
/// recovery reconnects after a broker restart and declares the queues and consumers again. Users wait for
/// <see cref="ConnectedAsync"/>: while there is no broker, nothing is forwarded, so nothing is acknowledged.
/// </summary>
internal sealed partial class AmqpLink(ClusterOptions options, TimeProvider clock, ILogger<AmqpLink> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<IConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _problem = "connecting";
    private int _attempts;

    /// <summary>Null while the broker is connected; otherwise what is wrong, for /health.</summary>
    public string? Problem => _connected.Task.IsCompletedSuccessfully
        ? (_connected.Task.Result.IsOpen ? null : "the connection to RabbitMQ is down; the client is reconnecting")
        : _problem;

    public Task<IConnection> ConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var uri = options.Amqp ?? throw new InvalidOperationException("cluster mode without --amqp has no broker link");
        var factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = $"millwright {options.NodeId}",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            // The broker gives a frozen node's unacknowledged deliveries (forwarded telemetry it had prefetched) to
            // another consumer only when it drops the node's connection, after missed heartbeats: about as soon as a
            // lease runs out, or every device whose message it held waits for the node to come back.
            RequestedHeartbeat = options.LeaseDuration / 2,

            // What the platform sets up again itself after a broker restart is left out of the client's recovery: a
            // kept session's consumer belongs to its connection's feed (a new feed, on a new channel, takes over), and
            // the MQTT bridge makes a new queue on each new channel. Recovered behind their back, a session's consumer
            // came back on a channel the feed no longer acknowledged on ("unknown delivery tag") while a newer feed
            // waited behind it as single active consumer; and every old bridge queue came back bound, unconsumed,
            // filling for ever. (This alone did not cure the kept session missing points after a RabbitMQ restart:
            // issue 22, NetworkTroubleTests, docs/cluster.md.)
            TopologyRecoveryFilter = new TopologyRecoveryFilter
            {
                ConsumerFilter = consumer => !IsSelfManaged(consumer.Queue),
                QueueFilter = queue => !IsSelfManaged(queue.Name),
                BindingFilter = binding => !IsSelfManaged(binding.Destination),
            },
        };
        var delay = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            _attempts++;
            try
            {
                var connection = await factory.CreateConnectionAsync(stoppingToken);
                LogConnected(uri.Host, uri.Port, _attempts);
                _problem = null;
                _connected.TrySetResult(connection);
                return;
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                _problem = $"RabbitMQ at {uri.Host}:{uri.Port} is unreachable ({_attempts} attempts, retrying every {delay.TotalSeconds:0} s): {e.GetBaseException().Message}";
                LogUnreachable(uri.Host, uri.Port, _attempts, delay.TotalSeconds, e.GetBaseException().Message);
            }

            try
            {
                await Task.Delay(delay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>A kept session's queue or a bridge channel's queue: their consumers and bindings are set up again by their owners.</summary>
    private bool IsSelfManaged(string queue) =>
        queue.StartsWith($"millwright.{options.Name}.session.", StringComparison.Ordinal)
        || queue.StartsWith($"millwright.{options.Name}.mqtt.", StringComparison.Ordinal);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connected.Task.IsCompletedSuccessfully)
        {
            var connection = await _connected.Task;
            await connection.CloseAsync(cancellationToken);
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Host}:{Port} (attempt {Attempt})")]
    private partial void LogConnected(string host, int port, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Host}:{Port} is unreachable (attempt {Attempt}); retrying in {Seconds} s: {Reason}")]
    private partial void LogUnreachable(string host, int port, int attempt, double seconds, string reason);
}
