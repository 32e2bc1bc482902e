using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Packets;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A machine speaking the platform's own JSON over MQTT (DESIGN.md, wire conventions): one connection with
/// its device credential, <c>{"ts": epoch-ms, "values": {...}}</c> to <c>mw/{tenant}/{machine}/telemetry</c> at QoS 1.
/// With <paramref name="takesJobs"/> it also subscribes to its <c>cmd</c> topic at QoS 1 in a persistent session
/// (clean start false, kept <see cref="SessionExpirySeconds"/> by the broker), so a job sent while the link
/// was briefly down is delivered on reconnecting; answers go to <c>cmd/ack</c>.
/// </summary>
internal sealed class MqttJsonDriver(BrokerAddress broker, string machine, string username, string secret, bool takesJobs = false) : IMachineDriver, IJobChannel
{
    /// <summary>Long enough to ride out a broker restart or a network blip, short enough that a simulator stopped for the night starts afresh.</summary>
    public const uint SessionExpirySeconds = 300;

    // The broker could flood a machine; more waiting commands than this are dropped (the platform sees no answer).
    private const int MaxWaitingCommands = 1000;

    private readonly string _topic = $"mw/{broker.Tenant}/{machine}/telemetry";
    private readonly string _commandTopic = $"mw/{broker.Tenant}/{machine}/cmd";
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly ConcurrentQueue<byte[]> _commands = new();
    private MqttClientConnection? _connection;

    public Protocol Protocol => Protocol.MqttJson;

    /// <summary>Publishes the platform refused (a PUBACK with a failure reason code), kept for the status line.</summary>
    public long Refused { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptions(broker.Host, broker.Port, machine)
        {
            UserName = username,
            Password = secret,
            CleanStart = !takesJobs,
            SessionExpirySeconds = takesJobs ? SessionExpirySeconds : 0,
        };
        var connection = await MqttClientConnection.ConnectAsync(options, takesJobs ? Received : null, cancellationToken);
        _connection = connection;
        if (takesJobs)
        {
            // Subscribed again on every connect: cheap, and right even when the broker lost the session.
            var granted = await connection.SubscribeAsync(_commandTopic, QualityOfService.AtLeastOnce, cancellationToken);
            if (granted is not [var code] || code >= ReasonCode.UnspecifiedError)
            {
                throw new IOException($"the broker refused the command topic {_commandTopic} ({(granted is [var c] ? c : ReasonCode.UnspecifiedError)})");
            }
        }
    }

    public bool TryTakeCommand(out byte[] payload) => _commands.TryDequeue(out payload!);

    public async Task AnswerAsync(byte[] json, CancellationToken cancellationToken)
    {
        var connection = _connection is { Completion.IsCompleted: false } c ? c : throw new IOException("not connected");
        var reason = await connection.PublishAsync(_commandTopic + "/ack", json, QualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
        if (reason >= ReasonCode.UnspecifiedError)
        {
            Refused++;
        }
    }

    public async Task<int> SendAsync(IReadOnlyDictionary<string, object> values, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var connection = _connection is { Completion.IsCompleted: false } c ? c : throw new IOException("not connected");
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartObject("values");
            foreach (var (tag, value) in values)
            {
                WriteValue(json, tag, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        // The payload is copied: the buffer is reused next tick while the publish may still be queued.
        var reason = await connection.PublishAsync(_topic, _buffer.WrittenMemory.ToArray(), QualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
        if (reason >= ReasonCode.UnspecifiedError)
        {
            Refused++;
        }

        return 1;
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
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisconnectAsync();
        }
    }

    /// <summary>On the client's reader loop: copy the payload (its buffer is reused) and leave it for the runner.</summary>
    private void Received(PublishPacket publish)
    {
        if (publish.Topic == _commandTopic && _commands.Count < MaxWaitingCommands)
        {
            _commands.Enqueue(publish.Payload.ToArray());
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string tag, object value)
    {
        switch (value)
        {
            case double d:
                json.WriteNumber(tag, d);
                break;
            case long l:
                json.WriteNumber(tag, l);
                break;
            case bool b:
                json.WriteBoolean(tag, b);
                break;
            default:
                json.WriteString(tag, value.ToString());
                break;
        }
    }
}
