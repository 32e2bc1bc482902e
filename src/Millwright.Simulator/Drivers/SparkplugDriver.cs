using System.Collections.Concurrent;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Packets;
using Millwright.Simulator.Models;
using Millwright.Sparkplug;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A machine as a Sparkplug B edge node (group = tenant slug, edge node = machine name): NDEATH registered as
/// the MQTT will, NBIRTH with every tag after each connect, NDATA by alias with what changed since the last
/// message, and a fresh NBIRTH when the host asks for a rebirth on <c>spBv1.0/{tenant}/NCMD/{machine}</c>.
/// A job-taking node also takes commands in NCMD (<c>Command/*</c> metrics) and answers in NDATA
/// (<c>Answer/*</c> metrics, declared in its NBIRTH): <see cref="SparkplugJobs"/>.
/// </summary>
internal sealed class SparkplugDriver : IMachineDriver, IJobChannel
{
    // The broker could flood a machine; more waiting commands than this are dropped (the platform sees no answer).
    private const int MaxWaitingCommands = 1000;

    private readonly BrokerAddress _broker;
    private readonly string _username;
    private readonly string _secret;
    private readonly MachineTypeDefinition _type;
    private readonly SparkplugEdgeNode _node;
    private readonly string _commands;
    private readonly bool _takesJobs;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<byte[]> _jobs = new();

    // Commands arrive on the client's reader loop; the edge node is not thread-safe, so the tick loop decides.
    private readonly ConcurrentQueue<SparkplugMessage> _inbox = new();
    private readonly Dictionary<string, object> _sent = new(StringComparer.Ordinal);
    private MqttClientConnection? _connection;
    private bool _connectedBefore;
    private bool _needsBirth;

    public SparkplugDriver(BrokerAddress broker, string machine, string username, string secret, MachineTypeDefinition type, TimeProvider time, bool takesJobs = false)
    {
        _takesJobs = takesJobs;
        _time = time;
        _broker = broker;
        _username = username;
        _secret = secret;
        _type = type;
        _node = new SparkplugEdgeNode(broker.Tenant, machine, time);
        _commands = SparkplugTopic.ForNode(SparkplugMessageType.NCmd, broker.Tenant, machine).ToString();
    }

    public Protocol Protocol => Protocol.Sparkplug;

    public long Rebirths { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Each new MQTT session after the first carries the next bdSeq (tck-id-payloads-nbirth-bdseq-inc).
        if (_connectedBefore)
        {
            _node.StartNewSession();
        }

        var death = _node.DeathCertificate();
        var options = new MqttClientOptions(_broker.Host, _broker.Port, _node.EdgeNodeId)
        {
            UserName = _username,
            Password = _secret,
            // 4.2.1: the NDEATH is the will, QoS 1, not retained.
            Will = new MqttWill { Topic = death.TopicName, Payload = death.Payload, QoS = QualityOfService.AtLeastOnce },
        };
        _connection = await MqttClientConnection.ConnectAsync(options, OnMessage, cancellationToken);
        _connectedBefore = true;
        await _connection.SubscribeAsync(_commands, QualityOfService.AtLeastOnce, cancellationToken);
        _needsBirth = true;
    }

    public async Task<int> SendAsync(IReadOnlyDictionary<string, object> values, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var connection = _connection is { Completion.IsCompleted: false } c ? c : throw new IOException("not connected");
        while (_inbox.TryDequeue(out var command))
        {
            if (_node.IsRebirthRequest(command))
            {
                Rebirths++;
                _needsBirth = true;
            }
        }

        SparkplugPublication publication;
        if (_needsBirth)
        {
            var metrics = _type.Tags.Select(t => new SparkplugMetricValue(t.Name, DataType(t), Convert(t, values[t.Name]), timestamp));
            publication = _node.NodeBirth(_takesJobs ? metrics.Concat(SparkplugJobs.BirthMetrics(timestamp)) : metrics);
            _sent.Clear();
            foreach (var (tag, value) in values)
            {
                _sent[tag] = value;
            }

            _needsBirth = false;
        }
        else
        {
            // Report by exception, as edge nodes do: only what changed since the last message.
            var changed = _type.Tags.Where(t => !Equals(_sent.GetValueOrDefault(t.Name), values[t.Name]))
                .Select(t => new SparkplugDataValue(t.Name, Convert(t, values[t.Name]), timestamp))
                .ToList();
            if (changed.Count == 0)
            {
                return 0;
            }

            publication = _node.NodeData(changed);
            foreach (var value in changed)
            {
                _sent[value.Name] = values[value.Name];
            }
        }

        // 4.2.1: births and data go out at QoS 0.
        await connection.PublishAsync(publication.TopicName, publication.Payload, QualityOfService.AtMostOnce, cancellationToken: cancellationToken);
        return 1;
    }

    public bool TryTakeCommand(out byte[] payload) => _jobs.TryDequeue(out payload!);

    /// <summary>Called on the tick after <see cref="SendAsync"/>, so the node has been born in this session.</summary>
    public async Task AnswerAsync(byte[] json, CancellationToken cancellationToken)
    {
        var connection = _connection is { Completion.IsCompleted: false } c ? c : throw new IOException("not connected");
        if (!_node.IsBorn)
        {
            throw new IOException("not born yet");
        }

        var publication = _node.NodeData(SparkplugJobs.ToAnswer(json, _time.GetUtcNow()));
        await connection.PublishAsync(publication.TopicName, publication.Payload, QualityOfService.AtMostOnce, cancellationToken: cancellationToken);
    }

    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A clean DISCONNECT discards the will, so the node says goodbye itself first (4.2.1).
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            if (!connection.Completion.IsCompleted)
            {
                var death = _node.DeathCertificate();
                try
                {
                    await connection.PublishAsync(death.TopicName, death.Payload, QualityOfService.AtLeastOnce)
                        .AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                }
                catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
                {
                    // Shutting down anyway; the platform will see the connection drop.
                }
            }

            await connection.DisconnectAsync();
        }
    }

    private void OnMessage(PublishPacket publish)
    {
        try
        {
            var message = SparkplugDecoder.Decode(publish.Topic, publish.Payload.Span);
            if (_takesJobs && SparkplugJobs.ToCommand(message) is { } command)
            {
                if (_jobs.Count < MaxWaitingCommands)
                {
                    _jobs.Enqueue(command);
                }
            }
            else
            {
                _inbox.Enqueue(message);
            }
        }
        catch (SparkplugProtocolException)
        {
            // A malformed command is ignored, as an edge node in the field would.
        }
    }

    private static SparkplugDataType DataType(TagSpec tag) => tag.DataType switch
    {
        "float" => SparkplugDataType.Double,
        "int" => SparkplugDataType.Int64,
        "bool" => SparkplugDataType.Boolean,
        _ => SparkplugDataType.String,
    };

    private static object Convert(TagSpec tag, object value) => tag.DataType switch
    {
        "float" => System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        "int" => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
