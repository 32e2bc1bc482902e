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
