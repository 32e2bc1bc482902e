using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.Production;
using Millwright.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterLeaders;

/// <summary>
/// Carries planner events to each tenant's leader (<see cref="LeaseLeadership"/>): orders and cancellations from the
/// API, machine states from the machine's owner, answers from the node the device is connected to, and part counts
/// (summed per machine between sends). Each leader has an exclusive queue, <c>millwright.NAME.planner.NODE</c>,
/// gone with its node.
/// <list type="bullet">
/// <item>Sent in batches per leader with publisher confirms, mandatory. An event whose tenant is changing hands (no
/// leader as of the last tick), whose leader's queue is gone (the broker returns it: the node died) or that the broker
/// did not confirm waits and is sent again after the next tick, to whoever leads then (this node itself, when it took
/// the tenant meanwhile). A tenant's events keep their order: while one waits, the later ones wait behind it.</item>
/// <item>The leader takes each event once: events are numbered by their node, and a number seen recently is
/// dropped (a batch sent again after a lost confirm). An event for a tenant the receiver does not lead (any more) is
/// passed on to the leader through the inbox.</item>
/// </list>
/// What a dying leader had received and not yet acted on is lost with it; its successor reads the tenant's orders and
/// held jobs from the store and sends each held job again, as at a start. The queue is exclusive, so a leader whose
/// connection to RabbitMQ drops (a broker restart) loses the events waiting in it too, while it stays the leader:
/// a lost answer is mended by the answer timeout (the job is planned again), a lost state change by the machine's
/// next one, lost counts are not.
/// </summary>
internal sealed partial class PlannerRelay(AmqpLink link, ClusterNode node, IServiceProvider services, TimeProvider clock, IMeterFactory meters, ILogger<PlannerRelay> logger)
    : BackgroundService, IProductionRelay
{
    /// <summary>Events per batch at most.</summary>
    public const int BatchSize = 1_000;

    /// <summary>Counts are summed this long before they go, so a busy machine costs one relayed count per interval.</summary>
    public static readonly TimeSpan CountInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Events waiting to be sent at most; past it new ones are dropped and counted (the leader's next look at the store mends what they said).</summary>
    public const int MaxWaiting = 100_000;

    private readonly Channel<RelayedEvent> _outgoing =
        Channel.CreateBounded<RelayedEvent>(new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _countsLock = new();
    private Dictionary<(long Tenant, long Machine), RelayedCount> _counts = [];
    private readonly RecentIds _seen = new(100_000);
    private ProductionInbox? _inbox;
    private long _nextId;
    private long _sent;
    private long _received;
    private long _dropped;

    /// <summary>Events this node sent to other leaders, and took from other nodes (duplicates dropped).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Events dropped because too many waited (their leader unreachable for long).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private string Queue(string leader) => $"millwright.{node.Options.Name}.planner.{leader}";

    // Resolved on first use: the inbox is built with this relay.
    private ProductionInbox Inbox => _inbox ??= services.GetRequiredService<ProductionInbox>();

    public void Relay(ProductionEvent e)
    {
        if (!_outgoing.Writer.TryWrite(new RelayedEvent(Interlocked.Increment(ref _nextId), e.TenantId, e, null)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void RelayCount(long tenantId, long machineId, double parts, double scrap, long at)
    {
        if (!double.IsFinite(parts) || !double.IsFinite(scrap) || Math.Abs(parts) > MaxCount || Math.Abs(scrap) > MaxCount)
        {
            // A device's absurd counter (the state tracker passes increases as it reads them) is not carried.
            Interlocked.Increment(ref _dropped);
            return;
        }

        lock (_countsLock)
        {
            var sum = _counts.GetValueOrDefault((tenantId, machineId));
            _counts[(tenantId, machineId)] = sum is null
                ? new RelayedCount(machineId, parts, scrap, at)
                : sum with { Parts = sum.Parts + parts, Scrap = sum.Scrap + scrap, At = Math.Max(sum.At, at) };
        }
    }

    private const double MaxCount = 1e12;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(ClusterMeter.Name);
        meter.CreateObservableCounter("millwright.cluster.planner.sent", () => Sent, description: "Planner events this node sent to their tenants' leaders");
        meter.CreateObservableCounter("millwright.cluster.planner.received", () => Received, description: "Planner events other nodes sent to this leader, each taken once");
        meter.CreateObservableCounter("millwright.cluster.planner.dropped", () => Dropped, description: "Planner events dropped: too many waiting, or an absurd count");
        return base.StartAsync(cancellationToken);
    }

    // A set-up that fails (RabbitMQ went between the link and the channel) is tried again a second later.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopFaults.RunUntilStoppedAsync(RunAsync, TimeSpan.FromSeconds(1), clock, e => LogSetUpFailed(e.GetBaseException().Message), stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        IChannel? inbound = null;
        IChannel? outbound = null;
        try
        {
            var connection = await link.ConnectedAsync(stoppingToken);
            inbound = await ListenAsync(connection, stoppingToken);
            outbound = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
            var waiting = new List<RelayedEvent>();
            while (!stoppingToken.IsCancellationRequested)
            {
                // Events go at once; counts every interval; what waits for a leader, after the next tick.
                using (var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var interval = waiting.Count > 0 ? node.Options.TickInterval : CountInterval;
                    await Task.WhenAny(_outgoing.Reader.WaitToReadAsync(wake.Token).AsTask(), Task.Delay(interval, clock, wake.Token));
                    await wake.CancelAsync();
                }

                stoppingToken.ThrowIfCancellationRequested();
                while (_outgoing.Reader.TryRead(out var e))
                {
                    waiting.Add(e);
                }

                waiting.AddRange(TakeCounts());
                if (waiting.Count > 0)
                {
                    try
                    {
                        waiting = await SendAsync(outbound, waiting, stoppingToken);
                    }
                    catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                    {
                        // Whatever went wrong, the relay goes on: the events wait for the next round.
                        LogSendFailed(e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await CloseAsync(inbound);
            await CloseAsync(outbound);
        }
    }

    private List<RelayedEvent> TakeCounts()
    {
        Dictionary<(long Tenant, long Machine), RelayedCount> taken;
        lock (_countsLock)
        {
            if (_counts.Count == 0)
            {
                return [];
            }

            taken = _counts;
            _counts = [];
        }

        return [.. taken.Select(kv => new RelayedEvent(Interlocked.Increment(ref _nextId), kv.Key.Tenant, null, kv.Value))];
    }

    /// <summary>Hands each event to its tenant's leader; returns those that wait, in their order.</summary>
    private async Task<List<RelayedEvent>> SendAsync(IChannel channel, List<RelayedEvent> events, CancellationToken cancellationToken)
    {
        var waiting = new List<RelayedEvent>();
        var blocked = new HashSet<long>();
        var batches = new Dictionary<string, List<RelayedEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (blocked.Contains(e.TenantId))
            {
                waiting.Add(e);
            }
            else if (node.Leads(e.TenantId))
            {
                Deliver(e);
            }
            else if (node.LeaderOf(e.TenantId) is { } leader && leader != node.NodeId)
            {
                (batches.TryGetValue(leader, out var batch) ? batch : batches[leader] = []).Add(e);
            }
            else
            {
                // Changing hands: the next tick tells who leads it.
                blocked.Add(e.TenantId);
                waiting.Add(e);
            }
        }

        foreach (var (leader, batch) in batches)
        {
            var failed = false;
            foreach (var chunk in batch.Chunk(BatchSize))
            {
                if (failed)
                {
                    // A chunk before it did not go: this one waits too, so the leader gets them in order.
                    waiting.AddRange(chunk);
                    continue;
                }

                try
                {
                    await channel.BasicPublishAsync(string.Empty, Queue(leader), mandatory: true,
                        new BasicProperties { ContentType = "application/json", AppId = node.NodeId }, RelayCodec.Encode(node.NodeId, chunk), cancellationToken);
                    Interlocked.Add(ref _sent, chunk.Length);
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.PublishException || IngestChannel.BrokerFailure(e))
                {
                    // Gone with its node (returned), or the broker is away: sent again after the next tick.
                    LogWaiting(leader, chunk.Length, e.Message);
                    waiting.AddRange(chunk);
                    failed = true;
                }
            }
        }

        if (waiting.Count > 0)
        {
            // A tenant's events keep their order when they are sent again.
            waiting.Sort((a, b) => a.Id.CompareTo(b.Id));
            LogWaitingTotal(waiting.Count);
        }

        return waiting;
    }

    private void Deliver(RelayedEvent e)
    {
        if (e.Count is { } count)
        {
            Inbox.Counted(e.TenantId, count.MachineId, count.Parts, count.Scrap, count.At);
        }
        else if (e.Event is { } production)
        {
            // The inbox keeps it if this node leads the tenant, and passes it on otherwise.
            Inbox.Post(production);
        }
    }

    private async Task<IChannel> ListenAsync(IConnection connection, CancellationToken stoppingToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        var queue = Queue(node.NodeId);
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, 50, global: false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            try
            {
                var (from, events) = RelayCodec.Decode(delivery.Body.Span);
                foreach (var e in events.Where(e => _seen.Add(from, e.Id)))
                {
                    Interlocked.Increment(ref _received);
                    Deliver(e);
                }
            }
            catch (FormatException e)
            {
                LogUnreadable(e);
            }

            try
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException)
            {
                // The connection went: the exclusive queue goes with it (see the class's remarks).
            }
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
        LogListening(node.NodeId, queue);
        return channel;
    }

    private static async Task CloseAsync(IChannel? channel)
    {
        if (channel is null)
        {
            return;
        }

        try
        {
            await channel.CloseAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
        {
        }

        await channel.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} takes the planner events of the tenants it leads on {Queue}")]
    private partial void LogListening(string node, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} planner events for leader {Leader} wait: {Reason}")]
    private partial void LogWaiting(string leader, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} planner events wait for their tenants' leaders; sent again after the next tick")]
    private partial void LogWaitingTotal(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending planner events failed; they wait for the next round")]
    private partial void LogSendFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of planner events sent to this node did not parse; dropped")]
    private partial void LogUnreadable(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting up on RabbitMQ failed ({Reason}); trying again")]
    private partial void LogSetUpFailed(string reason);
}
