using System.Threading.Channels;
using Millwright.Features.Cluster;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Millwright.Features.ClusterBridge;

/// <summary>
/// Joins the MQTT brokers of a cluster's nodes through one RabbitMQ topic exchange, <c>millwright.NAME.mqtt</c>, so
/// that a subscriber on one node receives what is published on another (a dashboard or integration on node A, a
/// device on node B; a command the planner publishes on A to a device connected to B).
/// <list type="bullet">
/// <item>Each node has an exclusive queue, bound with the filters its sessions subscribe to (<see cref="BridgeKeys"/>);
/// a filter's binding comes with its first subscriber and goes with its last.</item>
/// <item>Each message the node's broker routes (from its clients or the platform itself) is published to the
/// exchange once, keyed by its topic; RabbitMQ passes it only to the nodes with a matching binding, and those route
/// it to their own subscribers as if it were published there. A node ignores its own messages coming back.</item>
/// </list>
/// Across nodes delivery is at most once (no publisher confirms, auto-acknowledged deliveries, a bounded queue per
/// node): a node dying, a broker restart or a full queue loses bridged copies, never the publisher's own message,
/// which the appender still commits. Retained messages reach the nodes subscribed when they are published.
/// </summary>
internal sealed partial class MqttBridge(AmqpLink link, ClusterOptions options, MqttServer broker, ILogger<MqttBridge> logger)
    : BackgroundService, IMqttBridge
{
    /// <summary>Messages waiting to be published to the exchange; past this, new ones are dropped (and counted).</summary>
    public const int MaxWaiting = 50_000;

    /// <summary>A node's queue holds at most this many bridged messages; the oldest go first.</summary>
    public const int MaxQueued = 100_000;

    private readonly Channel<string> _filterChanges = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(string Key, ReadOnlyMemory<byte> Body)> _outgoing =
        Channel.CreateBounded<(string, ReadOnlyMemory<byte>)>(new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    // Subscribed filters, how many of them use each binding key, and the keys RabbitMQ has bound (all under _bound's
    // lock): written by the pump, read by anyone.
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _keyUsers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundKeys = new(StringComparer.Ordinal);
    private long _forwarded;
    private long _received;
    private long _dropped;
    private long _unbridged;

    public static string Exchange(string cluster) => $"millwright.{cluster}.mqtt";

    public static string Queue(string cluster, string node) => $"millwright.{cluster}.mqtt.{node}";

    /// <summary>Messages published to the exchange.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Messages from other nodes routed here.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages not bridged: the outgoing buffer was full, or a peer sent bytes that are not a PUBLISH.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages whose topic is too long for an AMQP routing key, so they stay on their node.</summary>
    public long Unbridged => Interlocked.Read(ref _unbridged);

    /// <summary>Whether messages matching <paramref name="topicFilter"/> published on other nodes now reach this one.</summary>
    public bool IsBound(string topicFilter)
    {
        lock (_bound)
        {
            return _bound.Contains(topicFilter) && _boundKeys.Contains(BridgeKeys.ForFilter(topicFilter));
        }
    }

    public void FilterAdded(string topicFilter) => _filterChanges.Writer.TryWrite("+" + topicFilter);

    public void FilterRemoved(string topicFilter) => _filterChanges.Writer.TryWrite("-" + topicFilter);

    public void Forward(string topic, ReadOnlyMemory<byte> message)
    {
        if (BridgeKeys.ForTopic(topic) is not { } key)
        {
            Interlocked.Increment(ref _unbridged);
            return;
        }

        if (!_outgoing.Writer.TryWrite((key, message)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the listener takes clients' subscriptions; what is there already is bound from the snapshot below.
        broker.AttachBridge(this);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IChannel? channel = null;
        try
        {
            var connection = await link.ConnectedAsync(stoppingToken);
            channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
            var exchange = Exchange(options.Name);
            var queue = Queue(options.Name, options.NodeId);
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: stoppingToken);
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = MaxQueued, ["x-overflow"] = "drop-head" }, cancellationToken: stoppingToken);
            foreach (var filter in broker.SubscribedFilters())
            {
                await ApplyAsync(channel, exchange, queue, filter, add: true, stoppingToken);
            }

            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                Receive(delivery);
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer, stoppingToken);
            LogBridging(options.NodeId, exchange);
            await PumpAsync(channel, exchange, queue, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (channel is not null)
            {
                try
                {
                    await channel.CloseAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
                {
                }

                await channel.DisposeAsync();
            }
        }
    }

    /// <summary>Binds and unbinds filters as they change, and publishes what the broker routed; filter changes first.</summary>
    private async Task PumpAsync(IChannel channel, string exchange, string queue, CancellationToken stop)
    {
        var properties = new BasicProperties { AppId = options.NodeId };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                while (_filterChanges.Reader.TryRead(out var change))
                {
                    await ApplyAsync(channel, exchange, queue, change[1..], change[0] == '+', stop);
                }

                while (!_filterChanges.Reader.TryPeek(out _) && _outgoing.Reader.TryRead(out var message))
                {
                    await channel.BasicPublishAsync(exchange, message.Key, mandatory: false, properties, message.Body, stop);
                    Interlocked.Increment(ref _forwarded);
                }

                var filters = _filterChanges.Reader.WaitToReadAsync(stop).AsTask();
                var messages = _outgoing.Reader.WaitToReadAsync(stop).AsTask();
                await Task.WhenAny(filters, messages);
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The broker went away: the client reconnects and restores the queue, its bindings and the consumer;
                // what was being published meanwhile is lost to the other nodes, as at-most-once allows.
                LogBrokerLost(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }

    /// <summary>
    /// Binds a filter's key when its first filter comes and unbinds it when its last goes: filters too long for AMQP
    /// are cut to a shared prefix key, and AMQP bindings are not counted.
    /// </summary>
    private async Task ApplyAsync(IChannel channel, string exchange, string queue, string filter, bool add, CancellationToken stop)
    {
        var key = BridgeKeys.ForFilter(filter);
        bool first, last;
        lock (_bound)
        {
            if (add ? !_bound.Add(filter) : !_bound.Remove(filter))
            {
                return;
            }

            var users = _keyUsers.GetValueOrDefault(key) + (add ? 1 : -1);
            first = add && users == 1;
            last = !add && users == 0;
            if (users == 0)
            {
                _keyUsers.Remove(key);
            }
            else
            {
                _keyUsers[key] = users;
            }
        }

        if (first)
        {
            await channel.QueueBindAsync(queue, exchange, key, cancellationToken: stop);
            lock (_bound)
            {
                _boundKeys.Add(key);
            }
        }
        else if (last)
        {
            lock (_bound)
            {
                _boundKeys.Remove(key);
            }

            await channel.QueueUnbindAsync(queue, exchange, key, cancellationToken: stop);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} bridges its MQTT broker through exchange {Exchange}")]
    private partial void LogBridging(string node, string exchange);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MQTT bridge lost RabbitMQ ({Reason}); bridged messages are lost until it is back")]
    private partial void LogBrokerLost(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A bridged MQTT message did not parse: {Reason}")]
    private partial void LogUnreadable(string reason);
}
