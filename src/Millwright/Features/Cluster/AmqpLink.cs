using Millwright.Hosting;
using RabbitMQ.Client;

namespace Millwright.Features.Cluster;

/// <summary>
/// The node's connections to RabbitMQ (<c>--amqp</c>). A broker out of reach at start is retried with back-off (1 s,
/// doubling to 30 s) and reported on /health meanwhile. The main connection (<see cref="ConnectedAsync"/>) is recovered
/// by the client library after a broker restart, with the queues and consumers declared on it. Kept sessions' feeds and
/// the MQTT bridge use a second connection that is never recovered (<see cref="SelfManagedAsync"/>): they see a lost
/// channel and set everything up again themselves. While there is no broker, nothing is forwarded, so nothing is
/// acknowledged.
/// </summary>
/// <remarks>
/// Why two connections (issue 22, the RabbitMQ restart test): the library's recovery reopens, after the topology, every
/// channel it has on record, including one a user opened on the new connection just before (once the socket is back,
/// the connection reports itself open while recovery is still running). Such a channel gets a new server channel
/// behind its back; the old one stays open with the user's consumer on it. A kept session's feed opened in that window
/// left its consumer there: the queue's single active consumer, taking up to a prefetch of messages that nobody would
/// ever send or acknowledge, while every later feed waited behind it and got nothing. A channel on a connection without
/// recovery cannot be swapped.
/// </remarks>
internal sealed partial class AmqpLink(ClusterOptions options, TimeProvider clock, ILogger<AmqpLink> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<IConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Under _selfManagedGate: the self-managed connection, open or being opened. Every caller awaits the same task, so
    // while the broker is away one attempt is under way at a time and its failure reaches every waiter at once (a lock
    // held across the attempt made waiters try one after another, each up to the connection timeout).
    private readonly Lock _selfManagedGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task<IConnection>? _selfManaged;
    private bool _stopped;
    private volatile string? _problem = "connecting";
    private int _attempts;

    /// <summary>Null while both connections are up (or the second was never asked for); otherwise what is wrong, for /health.</summary>
    public string? Problem
    {
        get
        {
            if (!_connected.Task.IsCompletedSuccessfully)
            {
                return _problem;
            }

            if (!_connected.Task.Result.IsOpen)
            {
                return "the connection to RabbitMQ is down; the client is reconnecting";
            }

            return Volatile.Read(ref _selfManaged) switch
            {
                { IsFaulted: true } failed => $"the second connection to RabbitMQ (kept MQTT sessions, the MQTT bridge) could not be opened: {failed.Exception.GetBaseException().Message}",
                { IsCompletedSuccessfully: true } opened when !opened.Result.IsOpen => "the second connection to RabbitMQ (kept MQTT sessions, the MQTT bridge) is down; it is opened again by its next user",
                _ => null,
            };
        }
    }

    /// <summary>The main connection, recovered by the client library with what was declared on it.</summary>
    public Task<IConnection> ConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The connection for channels whose users set them up again themselves after a failure (kept sessions' feeds, the
    /// MQTT bridge). It is never recovered: a channel on it stays the one its user opened, and a lost connection closes
    /// every channel on it. Opened again on the first call after it was lost; throws while the broker is out of reach.
    /// </summary>
    public async Task<IConnection> SelfManagedAsync(CancellationToken cancellationToken)
    {
        await ConnectedAsync(cancellationToken);
        Task<IConnection> connecting;
        lock (_selfManagedGate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            var current = _selfManaged;
            if (current is null || current.IsFaulted || current.IsCanceled || (current.IsCompletedSuccessfully && !current.Result.IsOpen))
            {
                current = OpenSelfManagedAsync(current is { IsCompletedSuccessfully: true } ? current.Result : null);
                _selfManaged = current;
            }

            connecting = current;
        }

        // A caller that gives up leaves the attempt to the others.
        return await connecting.WaitAsync(cancellationToken);
    }

    private async Task<IConnection> OpenSelfManagedAsync(IConnection? lost)
    {
        if (lost is not null)
        {
            await CloseAsync(lost, CancellationToken.None);
        }

        return await Factory(recovering: false).CreateConnectionAsync(_stopping.Token);
    }

    private ConnectionFactory Factory(bool recovering) => new()
    {
        Uri = options.Amqp ?? throw new InvalidOperationException("cluster mode without --amqp has no broker link"),
        ClientProvidedName = recovering ? $"millwright {options.NodeId}" : $"millwright {options.NodeId} (self-managed)",
        AutomaticRecoveryEnabled = recovering,
        TopologyRecoveryEnabled = recovering,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        // The broker gives a frozen node's unacknowledged deliveries (forwarded telemetry it had prefetched, a kept
        // session's messages) to another consumer only when it drops the node's connection, after missed heartbeats:
        // about as soon as a lease runs out, or every device whose message it held waits for the node to come back.
        RequestedHeartbeat = options.LeaseDuration / 2,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = Factory(recovering: true);
        var uri = factory.Uri;
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
        Task<IConnection>? selfManaged;
        lock (_selfManagedGate)
        {
            // No user opens it again after this: the host is stopping.
            _stopped = true;
            selfManaged = _selfManaged;
            _selfManaged = null;
        }

        await _stopping.CancelAsync();
        if (selfManaged is not null)
        {
            await ((Task)selfManaged).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (selfManaged.IsCompletedSuccessfully)
            {
                await CloseAsync(selfManaged.Result, cancellationToken);
            }
        }

        if (_connected.Task.IsCompletedSuccessfully)
        {
            await CloseAsync(await _connected.Task, cancellationToken);
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    private static async Task CloseAsync(IConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CloseAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Already lost (whatever the client throws for that): nothing to close.
        }

        await connection.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Host}:{Port} (attempt {Attempt})")]
    private partial void LogConnected(string host, int port, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Host}:{Port} is unreachable (attempt {Attempt}); retrying in {Seconds} s: {Reason}")]
    private partial void LogUnreachable(string host, int port, int attempt, double seconds, string reason);
}
