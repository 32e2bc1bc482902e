using System.Collections.Concurrent;
using System.Diagnostics;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Packets;
using Millwright.Simulator.Drivers;
using Millwright.Sparkplug;

namespace Millwright.Simulator.Fleet;

/// <summary>
/// A depot's telematics gateway: one MQTT connection, as a Sparkplug B edge node named after the gateway machine,
/// publishing for every machine of the depot as its devices (DBIRTH, then DDATA), the way telematics back-ends
/// share connections. Each machine reports every interval, the depot's machines spread evenly over it. Reports
/// go at QoS 1, which the platform acknowledges once stored, so publish → PUBACK is publish → stored; at most
/// <see cref="Window"/> are in flight, and never more than the server's Receive Maximum (an MQTT 5 server closes a
/// connection that exceeds it, 3.3.4; the platform's is 100). A lost connection is made again after a second, with a new session
/// (bdSeq) and births; a rebirth request (NCMD) births everything again.
/// </summary>
internal sealed class FleetGateway(BrokerAddress broker, string name, string username, string secret, IReadOnlyList<FleetUnit> units,
    TimeSpan interval, FleetStats stats, TimeProvider time)
{
    public const int Window = 256;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly SparkplugEdgeNode _node = new(broker.Tenant, name, time);
    private readonly ConcurrentQueue<SparkplugMessage> _inbox = new();

    public string Name => name;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            MqttClientConnection? connection = null;
            var born = 0;
            try
            {
                if (!first)
                {
                    _node.StartNewSession();
                }

                first = false;
                var death = _node.DeathCertificate();
                connection = await MqttClientConnection.ConnectAsync(new MqttClientOptions(broker.Host, broker.Port, name)
                {
                    UserName = username,
                    Password = secret,
                    Will = new MqttWill { Topic = death.TopicName, Payload = death.Payload, QoS = QualityOfService.AtLeastOnce },
                }, OnMessage, cancellationToken);
                stats.ConnectionUp();
                await connection.SubscribeAsync(SparkplugTopic.ForNode(SparkplugMessageType.NCmd, broker.Tenant, name).ToString(), QualityOfService.AtLeastOnce, cancellationToken);
                born = await BirthAsync(connection, cancellationToken);
                await ReportAsync(connection, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or MqttConnectException or MqttProtocolException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
            {
                stats.LastError = $"{name}: {e.Message}";
            }
            finally
            {
                if (connection is not null)
                {
                    stats.ConnectionDown(born);
                    await connection.DisposeAsync();
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>NBIRTH, then a DBIRTH per machine with all its values (births go at QoS 0, as 4.2.1 and 4.2.2 say).</summary>
    private async Task<int> BirthAsync(MqttClientConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var node = _node.NodeBirth([]);
        await connection.PublishAsync(node.TopicName, node.Payload, QualityOfService.AtMostOnce, cancellationToken: cancellationToken);
        foreach (var unit in units)
        {
            unit.Advance(now);
            var birth = _node.DeviceBirth(unit.Name, unit.Metrics(now));
            await connection.PublishAsync(birth.TopicName, birth.Payload, QualityOfService.AtMostOnce, cancellationToken: cancellationToken);
        }

        stats.Born(units.Count);
        return units.Count;
    }

    private async Task ReportAsync(MqttClientConnection connection, CancellationToken cancellationToken)
    {
        // Reports in flight on this connection: a slot each, so when none is free the next report waits.
        using var slots = new SemaphoreSlim(Math.Min(Window, (int)connection.ServerReceiveMaximum));
        using var timer = new PeriodicTimer(Tick, time);
        var roundStart = time.GetUtcNow();
        var next = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (connection.Completion.IsCompleted)
            {
                throw new IOException("the connection closed");
            }

            if (RebirthAsked())
            {
                stats.Reborn();
                await BirthAsync(connection, cancellationToken);
            }

            var now = time.GetUtcNow();
            // Machine i of n is due at i/n of the way through its round.
            while (next < units.Count && roundStart + (interval * next / units.Count) <= now)
            {
                var due = roundStart + (interval * next / units.Count);
                var unit = units[next++];
                unit.Advance(now);
                var data = _node.DeviceData(unit.Name, unit.Metrics(now).Select(m => new SparkplugDataValue(m.Name, m.Value, m.Timestamp)));
                if (!slots.Wait(0, cancellationToken))
                {
                    stats.Waiting(name);
                    try
                    {
                        await slots.WaitAsync(cancellationToken);
                    }
                    finally
                    {
                        stats.Waited(name);
                    }
                }

                var sent = Stopwatch.GetTimestamp();
                stats.Reported(time.GetUtcNow() - due);
                _ = AcknowledgeAsync(connection.PublishAsync(data.TopicName, data.Payload, QualityOfService.AtLeastOnce, cancellationToken: cancellationToken), sent, slots);
            }

            if (next == units.Count)
            {
                next = 0;
                roundStart += interval;
            }
        }
    }

    private async Task AcknowledgeAsync(ValueTask<ReasonCode> publish, long sent, SemaphoreSlim slots)
    {
        try
        {
            var code = await publish;
            stats.Acknowledge(code == ReasonCode.Success, Stopwatch.GetElapsedTime(sent));
        }
        catch (Exception e) when (e is IOException or MqttProtocolException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went; the run loop reconnects and births again.
        }
        finally
        {
            try
            {
                slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // The connection's report loop has ended; its slots went with it.
            }
        }
    }

    private bool RebirthAsked()
    {
        var asked = false;
        while (_inbox.TryDequeue(out var command))
        {
            asked |= _node.IsRebirthRequest(command);
        }

        return asked;
    }

    private void OnMessage(PublishPacket publish)
    {
        try
        {
            _inbox.Enqueue(SparkplugDecoder.Decode(publish.Topic, publish.Payload.Span));
        }
        catch (SparkplugProtocolException)
        {
            // A malformed command is ignored, as a gateway in the field would.
        }
    }
}
