using System.Buffers;
using System.Text.Json;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A machine speaking the platform's own JSON over MQTT (DESIGN.md, wire conventions): one connection with
/// its device credential, <c>{"ts": epoch-ms, "values": {...}}</c> to <c>mw/{tenant}/{machine}/telemetry</c> at QoS 1.
/// </summary>
internal sealed class MqttJsonDriver(BrokerAddress broker, string machine, string username, string secret) : IMachineDriver
{
    private readonly string _topic = $"mw/{broker.Tenant}/{machine}/telemetry";
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private MqttClientConnection? _connection;

    public Protocol Protocol => Protocol.MqttJson;

    /// <summary>Publishes the platform refused (a PUBACK with a failure reason code), kept for the status line.</summary>
    public long Refused { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptions(broker.Host, broker.Port, machine) { UserName = username, Password = secret };
        _connection = await MqttClientConnection.ConnectAsync(options, null, cancellationToken);
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
