using System.Globalization;
using System.Text.RegularExpressions;
using Millwright.Mqtt;

namespace Millwright.Tests.Connectivity;

/// <summary>A third-party MQTT subscriber (mosquitto_sub or paho-mqtt, 3.1.1 or 5.0) as a test watches it lose its access.</summary>
internal sealed partial class PeerSubscriber : IAsyncDisposable
{
    private readonly MqttRevocationTests.Peer _peer;
    private readonly PeerProcess? _mosquitto;
    private readonly PahoPeer? _paho;

    private PeerSubscriber(MqttRevocationTests.Peer peer, PeerProcess? mosquitto, PahoPeer? paho)
    {
        _peer = peer;
        _mosquitto = mosquitto;
        _paho = paho;
    }

    private bool IsV5 => _peer is MqttRevocationTests.Peer.MosquittoSub5 or MqttRevocationTests.Peer.Paho5;

    /// <summary>Connected and subscribed (SUBACK seen) at QoS 1.</summary>
    public static async Task<PeerSubscriber> StartAsync(MqttRevocationTests.Peer peer, int port, string clientId, string user, string password, string filter)
    {
        var version = peer is MqttRevocationTests.Peer.MosquittoSub5 or MqttRevocationTests.Peer.Paho5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        if (peer is MqttRevocationTests.Peer.MosquittoSub311 or MqttRevocationTests.Peer.MosquittoSub5)
        {
            return new PeerSubscriber(peer, await MosquittoClients.SubscribeAsync(port, version, filter, 1, "-i", clientId, "-u", user, "-P", password), null);
        }

        var paho = PahoPeer.Start(port, version, "--id", clientId, "--user", user, "--password", password, "--sub", filter + ":1", "--end", "hang", "--timeout", "120");
        await paho.ReadyAsync();
        return new PeerSubscriber(peer, null, paho);
    }

    public async Task WaitForMessageAsync(string payload)
    {
        if (_mosquitto is not null)
        {
            await _mosquitto.WaitForLineAsync(l => l.StartsWith("MSG ", StringComparison.Ordinal) && l.EndsWith(" " + payload, StringComparison.Ordinal));
        }
        else
        {
            await _paho!.Process.WaitForLineAsync(l => l.Contains("\"event\": \"message\"", StringComparison.Ordinal) && l.Contains($"\"payload\": \"{payload}\"", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Waits until the client saw the server end its connection; returns the DISCONNECT reason code a 5.0
    /// client was given, null for 3.1.1 (which has no server DISCONNECT: the socket just closes).
    /// </summary>
    public async Task<int?> WaitForDisconnectAsync(TimeSpan timeout)
    {
        if (_paho is not null)
        {
            var disconnected = await _paho.WaitForEventAsync("disconnected", timeout);
            return IsV5 ? disconnected.GetProperty("rc").GetInt32() : null;
        }

        if (IsV5)
        {
            // libmosquitto's debug log: "Received DISCONNECT (135)".
            var line = await _mosquitto!.WaitForLineAsync(l => ReceivedDisconnect().IsMatch(l), timeout);
            return int.Parse(ReceivedDisconnect().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        }

        // 3.1.1: the closed socket shows as mosquitto_sub connecting again (refused, it then exits) or exiting.
        try
        {
            await _mosquitto!.WaitForLinesAsync(lines => lines.Count(l => l.Contains("sending CONNECT", StringComparison.Ordinal)) >= 2 ? lines : null, timeout);
        }
        catch (TimeoutException) when (_mosquitto!.HasExited)
        {
            // It exited on the lost connection without trying again.
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync();
        }

        if (_paho is not null)
        {
            await _paho.DisposeAsync();
        }
    }

    [GeneratedRegex(@"received DISCONNECT \((\d+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex ReceivedDisconnect();
}
