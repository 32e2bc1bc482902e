using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Millwright.Features.Cluster;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterBridge;

/// <summary>
/// Joins the MQTT brokers of a cluster's nodes through one RabbitMQ topic exchange, <c>millwright.NAME.mqtt</c>, so
/// that a subscriber on one node (a dashboard, an integration) receives what a device publishes on another.
/// <list type="bullet">
/// <item>Each node has an exclusive queue, bound with the keys of the filters its sessions subscribe to
/// (<see cref="BridgeKeys"/>). The bridge keeps the keys it wants and the keys it has bound, and reconciles the two:
/// a change that failed (the broker away) is tried again, an unsubscribe followed by a subscribe changes nothing,
/// and after a new channel every wanted key is bound again.</item>
/// <item>Each message a client publishes to the node's broker is published to the exchange once, keyed by its topic;
/// RabbitMQ passes it only to the nodes with a matching binding, and those route it to their own subscribers as if it
/// were published there. A node ignores its own messages coming back.</item>
/// </list>
/// Delivery across nodes is at most once and never late: nothing is buffered while the link is down, a message that
/// waited longer than <see cref="MaxAge"/> to be published is dropped, and the buffers are bounded in count and bytes.
/// The platform's own messages cross too (a tenant's planner runs on its leader, and the machine's device may be
/// connected to any node), except what a node publishes about itself only (its Sparkplug host state).
/// </summary>
internal sealed partial class MqttBridge(AmqpLink link, ClusterOptions options, MqttServer broker, SessionReplica sessions, TimeProvider clock, IMeterFactory meters, ILogger<MqttBridge> logger)
    : BackgroundService, IMqttBridge
{
    /// <summary>At most this many messages wait to be published; past it (or <see cref="MaxWaitingBytes"/>) new ones are dropped.</summary>
    public const int MaxWaiting = 50_000;

    public const long MaxWaitingBytes = 64L << 20;

    /// <summary>A node's queue holds at most this many bridged messages and bytes; the oldest go first.</summary>
    public const int MaxQueued = 100_000;

    public const long MaxQueuedBytes = 256L << 20;

    /// <summary>A message not published within this time after it was routed is dropped rather than delivered late.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly Channel<Outgoing> _outgoing =
        Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly Channel<bool> _keysChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    // Under _lock: the subscribed filters, how many of them want each key, the keys whose binding may be wrong, and
    // the keys bound on the current channel. A key is wanted while one filter maps to it (long filters share keys).
    private readonly Lock _lock = new();
    private readonly HashSet<string> _filters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);

    private volatile bool _linked;
    private long _waitingBytes;
    private long _forwarded;
    private long _received;
    private long _dropped;
    private long _unbridged;

    /// <summary>The AMQP header naming the session key of a message's publisher.</summary>
    public const string SenderHeader = "mw-sender";

    public static string Exchange(string cluster) => $"millwright.{cluster}.mqtt";

    /// <summary>The publisher's session key a bridged message carries, if any (RabbitMQ hands a string header back as bytes).</summary>
    public static string? SenderOf(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(SenderHeader, out var value) == true && value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A node's queue; each channel gets its own, so a new one never waits for the broker to drop the old.</summary>
    public static string Queue(string cluster, string node, string channel) => $"millwright.{cluster}.mqtt.{node}.{channel}";

    /// <summary>Whether messages published here now go to the exchange (the channel is set up).</summary>
    public bool Linked => _linked;

    /// <summary>Messages published to the exchange.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Messages from other nodes routed here.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages not bridged: the link was down, a buffer was full, one waited too long, or a peer's bytes did not parse.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages whose topic is too long for an AMQP routing key, so they stay on their node.</summary>
    public long Unbridged => Interlocked.Read(ref _unbridged);

    /// <summary>Whether messages matching <paramref name="topicFilter"/> published on other nodes now reach this one.</summary>
    public bool IsBound(string topicFilter)
    {
        lock (_lock)
        {
            return _filters.Contains(topicFilter) && _bound.Contains(BridgeKeys.ForFilter(topicFilter));
        }
    }

    public void FilterAdded(string topicFilter)
    {
        lock (_lock)
        {
            if (!_filters.Add(topicFilter))
            {
                return;
            }

            var key = BridgeKeys.ForFilter(topicFilter);
            _wanted[key] = _wanted.GetValueOrDefault(key) + 1;
            _dirty.Add(key);
        }

        _keysChanged.Writer.TryWrite(true);
    }

    public void FilterRemoved(string topicFilter)
    {
        lock (_lock)
        {
            if (!_filters.Remove(topicFilter))
            {
                return;
            }

            var key = BridgeKeys.ForFilter(topicFilter);
            if (_wanted[key] == 1)
            {
                _wanted.Remove(key);
            }
            else
            {
                _wanted[key]--;
            }

            _dirty.Add(key);
        }

        _keysChanged.Writer.TryWrite(true);
    }

    public bool Accepts(string topic)
    {
        // Unlinked, a message a kept session may want is taken only to be refused in Forward (QoS 1 and 2 go back to
        // their publisher, who sends them again): acknowledged, it would be missing from that session's queue for good.
        if (!_linked && !sessions.MayWant(topic))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        return true;
    }

    public Task? Forward(string topic, ReadOnlyMemory<byte> message, bool confirm, string? sender)
    {
        // The key is made once, here: a topic too long for AMQP is rare enough that checking it
        // before the encoding (a second key on the routing thread for every message) does not pay.
        if (BridgeKeys.ForTopic(topic) is not { } key)
        {
            // It stays on its node, for good: nothing to wait for.
            Interlocked.Increment(ref _unbridged);
            return null;
        }

        var confirmed = confirm ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        if (!_linked)
        {
            Drop(confirmed, "RabbitMQ is out of reach and a kept session may want it");
            return confirmed?.Task;
        }

        if (Interlocked.Add(ref _waitingBytes, message.Length) > MaxWaitingBytes
            || !_outgoing.Writer.TryWrite(new Outgoing(key, message, Stopwatch.GetTimestamp(), confirmed, sender)))
        {
            Interlocked.Add(ref _waitingBytes, -message.Length);
            Drop(confirmed, "the bridge's buffer is full");
        }

        return confirmed?.Task;
    }

    private void Drop(TaskCompletionSource? confirmed, string why)
    {
        Interlocked.Increment(ref _dropped);
        confirmed?.TrySetException(new IOException($"not bridged to the other nodes: {why}"));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The filters subscribed so far are reported at once; later ones as they come.
        broker.AttachBridge(this);
        var meter = meters.Create(ClusterMeter.Name);
        meter.CreateObservableCounter("millwright.cluster.bridge.forwarded", () => Forwarded, description: "MQTT messages this node published to the cluster's exchange");
        meter.CreateObservableCounter("millwright.cluster.bridge.received", () => Received, description: "MQTT messages from other nodes routed here");
        meter.CreateObservableCounter("millwright.cluster.bridge.dropped", () => Dropped, description: "MQTT messages not bridged: link down, buffer full, too old, or unreadable");
        meter.CreateObservableCounter("millwright.cluster.bridge.unbridged", () => Unbridged, description: "MQTT messages whose topic is too long for a routing key, kept on their node");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var exchange = Exchange(options.Name);
        while (!stoppingToken.IsCancellationRequested)
        {
            IChannel? channel = null;

            // Under its own lock: the messages published on this channel whose publisher waits for RabbitMQ's
            // confirm, by publish sequence number (a confirm with "multiple" settles every one up to its number).
            // One map per channel: sequence numbers start again on each, so a late confirm of a closed channel
            // must not settle a message of the next.
            var unconfirmed = new SortedDictionary<ulong, TaskCompletionSource>();
            try
            {
                // Set up again here after any failure, so never on the recovered connection (AmqpLink).
                var connection = await link.SelfManagedAsync(stoppingToken);

                // Confirms are tracked here, not per call, so the pump never waits for one before the next publish.
                channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), stoppingToken);
                var broken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                channel.ChannelShutdownAsync += (_, _) =>
                {
                    broken.TrySetResult();
                    return Task.CompletedTask;
                };
                channel.BasicAcksAsync += (_, e) =>
                {
                    Settle(unconfirmed, e.DeliveryTag, e.Multiple, null);
                    return Task.CompletedTask;
                };
                channel.BasicNacksAsync += (_, e) =>
                {
                    Settle(unconfirmed, e.DeliveryTag, e.Multiple, "RabbitMQ refused it");
                    return Task.CompletedTask;
                };

                var queue = Queue(options.Name, options.NodeId, Guid.NewGuid().ToString("N")[..8]);
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: stoppingToken);
                await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, arguments: new Dictionary<string, object?>
                {
                    ["x-max-length"] = MaxQueued,
                    ["x-max-length-bytes"] = MaxQueuedBytes,
                    ["x-overflow"] = "drop-head",
                }, cancellationToken: stoppingToken);
                lock (_lock)
                {
                    // A new queue has no bindings: every wanted key is bound again.
                    _bound.Clear();
                    _dirty.UnionWith(_wanted.Keys);
                }

                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) =>
                {
                    Receive(delivery);
                    return Task.CompletedTask;
                };
                await channel.BasicConsumeAsync(queue, autoAck: true, consumer, stoppingToken);
                LogBridging(options.NodeId, exchange, queue);
                _linked = true;
                await PumpAsync(channel, exchange, queue, unconfirmed, broken.Task, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The broker went away or closed the channel: what waits is dropped (never delivered late), and a
                // new channel with a new queue is set up once the link is back.
                LogBrokerLost(e.GetBaseException().Message);
            }
            finally
            {
                _linked = false;
                await CloseAsync(channel);

                // Published but not confirmed on a channel that is gone: whether the other nodes have them is not known.
                Settle(unconfirmed, ulong.MaxValue, multiple: true, "the link to RabbitMQ went before it was confirmed");
                while (_outgoing.Reader.TryRead(out var stale))
                {
                    Interlocked.Add(ref _waitingBytes, -stale.Body.Length);
                    Drop(stale.Confirmed, "the link to RabbitMQ went");
                }
            }

            try
            {
                await Task.Delay(Retry, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Binds and unbinds keys as subscriptions change, and publishes what clients published here; keys first.</summary>
    private async Task PumpAsync(IChannel channel, string exchange, string queue, SortedDictionary<ulong, TaskCompletionSource> unconfirmed, Task broken, CancellationToken stop)
    {
        var anonymous = new BasicProperties { AppId = options.NodeId };
        while (!stop.IsCancellationRequested)
        {
            if (broken.IsCompleted)
            {
                throw new IOException("the bridge's channel was closed");
            }

            await ReconcileAsync(channel, exchange, queue, stop);
            while (_outgoing.Reader.TryRead(out var message))
            {
                Interlocked.Add(ref _waitingBytes, -message.Body.Length);
                if (Stopwatch.GetElapsedTime(message.At) > MaxAge)
                {
                    Drop(message.Confirmed, "it waited too long");
                    continue;
                }

                // Every publish on this channel takes a sequence number; only those a publisher waits for are remembered.
                var sequence = await channel.GetNextPublishSequenceNumberAsync(stop);
                if (message.Confirmed is { } confirmed)
                {
                    lock (unconfirmed)
                    {
                        unconfirmed[sequence] = confirmed;
                    }
                }

                // The sender's session key goes with it, so that a kept session's queue can apply No Local.
                var properties = message.Sender is { } sender
                    ? new BasicProperties { AppId = options.NodeId, Headers = new Dictionary<string, object?> { [SenderHeader] = sender } }
                    : anonymous;
                await channel.BasicPublishAsync(exchange, message.Key, mandatory: false, properties, message.Body, stop);
                Interlocked.Increment(ref _forwarded);
                if (_keysChanged.Reader.TryPeek(out _))
                {
                    break;
                }
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
            await Task.WhenAny(_keysChanged.Reader.WaitToReadAsync(wake.Token).AsTask(), _outgoing.Reader.WaitToReadAsync(wake.Token).AsTask(), broken);
            await wake.CancelAsync();
            stop.ThrowIfCancellationRequested();
        }
    }

    private async Task ReconcileAsync(IChannel channel, string exchange, string queue, CancellationToken stop)
    {
        _keysChanged.Reader.TryRead(out _);
        while (true)
        {
            string key;
            bool bind;
            lock (_lock)
            {
                var next = _dirty.FirstOrDefault();
                if (next is null)
                {
                    return;
                }

                _dirty.Remove(next);
                key = next;
                bind = _wanted.ContainsKey(key);
                if (bind == _bound.Contains(key))
                {
                    continue;
                }
            }

            try
            {
                if (bind)
                {
                    await channel.QueueBindAsync(queue, exchange, key, cancellationToken: stop);
                }
                else
                {
                    await channel.QueueUnbindAsync(queue, exchange, key, cancellationToken: stop);
                }
            }
            catch
            {
                lock (_lock)
                {
                    _dirty.Add(key);
                }

                throw;
            }

            lock (_lock)
            {
                _ = bind ? _bound.Add(key) : _bound.Remove(key);
                if (bind != _wanted.ContainsKey(key))
                {
                    // Changed again while RabbitMQ answered: the next round puts it right.
                    _dirty.Add(key);
                }
            }
        }
    }

    /// <summary>Completes (or, with <paramref name="failure"/>, fails) the waiting publishes up to <paramref name="sequence"/>, or that one alone.</summary>
    private static void Settle(SortedDictionary<ulong, TaskCompletionSource> unconfirmed, ulong sequence, bool multiple, string? failure)
    {
        List<TaskCompletionSource>? settled = null;
        lock (unconfirmed)
        {
            if (multiple)
            {
                while (unconfirmed.Count > 0 && unconfirmed.First() is { Key: var first } entry && first <= sequence)
                {
                    unconfirmed.Remove(first);
                    (settled ??= []).Add(entry.Value);
                }
            }
            else if (unconfirmed.Remove(sequence, out var one))
            {
                settled = [one];
            }
        }

        foreach (var confirmed in settled ?? [])
        {
            if (failure is null)
            {
                confirmed.TrySetResult();
            }
            else
            {
                confirmed.TrySetException(new IOException($"not bridged to the other nodes: {failure}"));
            }
        }
    }

    private void Receive(BasicDeliverEventArgs delivery)
    {
        if (delivery.BasicProperties.AppId == options.NodeId)
        {
            return;
        }

        try
        {
            broker.RouteFromBridge(delivery.Body.Span);
            Interlocked.Increment(ref _received);
        }
        catch (MqttProtocolException e)
        {
            Interlocked.Increment(ref _dropped);
            LogUnreadable(e.Message);
        }
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
        catch (Exception)
        {
            // Closed already, or the connection is gone: either way the channel is done.
        }

        await channel.DisposeAsync();
    }

    /// <summary>A message waiting to be published to the exchange, and the confirm its publisher waits for, if any.</summary>
    private readonly record struct Outgoing(string Key, ReadOnlyMemory<byte> Body, long At, TaskCompletionSource? Confirmed, string? Sender);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} bridges its MQTT broker through exchange {Exchange}, queue {Queue}")]
    private partial void LogBridging(string node, string exchange, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MQTT bridge lost RabbitMQ ({Reason}); bridged messages are dropped until it is back")]
    private partial void LogBrokerLost(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A bridged MQTT message did not parse: {Reason}")]
    private partial void LogUnreadable(string reason);
}
