using System.Globalization;

using Millwright.Mqtt;

namespace Millwright.Testing;

/// <summary>mosquitto_pub and mosquitto_sub from Debian's mosquitto-clients as peers of our server.</summary>
internal static class MosquittoClients
{
    private const string Pub = "/usr/bin/mosquitto_pub";
    private const string Sub = "/usr/bin/mosquitto_sub";
    private const string StdBuf = "/usr/bin/stdbuf";

    /// <summary>Starts mosquitto_sub; its output lines are "MSG retain qos topic payload".</summary>
    public static async Task<PeerProcess> SubscribeAsync(int port, MqttProtocolVersion version, string filter, int qos, params string[] extra)
    {
        if (!File.Exists(Sub))
        {
            throw new InvalidOperationException($"{Sub} is missing: apt-get install -y mosquitto-clients (test.sh does this).");
        }

        // mosquitto_sub block-buffers stdout into a pipe; stdbuf makes it line-buffered so events arrive as they happen.
        var process = PeerProcess.Start(StdBuf, ["-oL", Sub, .. Common(port, version), "-t", filter, "-q", qos.ToString(CultureInfo.InvariantCulture), "-d", "-F", "MSG %r %q %t %p", .. extra]);
        await process.WaitForLineAsync(l => l.Contains("received SUBACK", StringComparison.Ordinal));
        return process;
    }

    /// <summary>Runs mosquitto_pub to completion: exit code 0 means the QoS handshake finished.</summary>
    public static async Task PublishAsync(int port, MqttProtocolVersion version, string topic, string payload, int qos, bool retain = false, params string[] extra)
    {
        string[] arguments = [.. Common(port, version), "-t", topic, "-m", payload, "-q", qos.ToString(CultureInfo.InvariantCulture), .. retain ? ["-r"] : Array.Empty<string>(), .. extra];
        await using var process = PeerProcess.Start(Pub, arguments);
        var code = await process.WaitForExitAsync();
        if (code != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {code}\n{process.Describe()}");
        }
    }

    /// <summary>
    /// Publishes the same message <paramref name="count"/> times with mosquitto_pub --repeat and returns once
    /// every one is acknowledged, counting the PUBACKs (or PUBCOMPs) its debug output reports. The count, not
    /// the exit, is the verdict: mosquitto_pub 2.0 now and then hangs after its last acknowledgement instead
    /// of exiting (eclipse-mosquitto/mosquitto#2739), which is the client's fault, not the broker's.
    /// </summary>
    public static async Task<int> PublishRepeatedAsync(int port, MqttProtocolVersion version, string topic, string payload, int qos, int count)
    {
        var acknowledged = qos == 1 ? "received PUBACK" : "received PUBCOMP";
        string[] arguments = ["-oL", Pub, .. Common(port, version), "-t", topic, "-m", payload, "-q", qos.ToString(CultureInfo.InvariantCulture),
            "--repeat", count.ToString(CultureInfo.InvariantCulture), "-d"];
        await using var process = PeerProcess.Start(StdBuf, arguments);
        var lines = await process.WaitForLinesAsync(l => l.Count(line => line.Contains(acknowledged, StringComparison.Ordinal)) >= count ? l : null);
        return lines.Count(line => line.Contains(acknowledged, StringComparison.Ordinal));
    }

    public static IReadOnlyList<PeerMessage> Messages(PeerProcess subscriber) =>
        [.. subscriber.Lines.Where(l => l.StartsWith("MSG ", StringComparison.Ordinal)).Select(ParseLine)];

    public static async Task<IReadOnlyList<PeerMessage>> WaitForMessagesAsync(PeerProcess subscriber, int count)
    {
        await subscriber.WaitForLinesAsync(lines => lines.Count(l => l.StartsWith("MSG ", StringComparison.Ordinal)) >= count ? lines : null);
        return Messages(subscriber);
    }

    private static string[] Common(int port, MqttProtocolVersion version) =>
        ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-V", version == MqttProtocolVersion.V500 ? "mqttv5" : "mqttv311"];

    private static PeerMessage ParseLine(string line)
    {
        var parts = line.Split(' ', 5);
        return new PeerMessage(parts[3], parts.Length > 4 ? parts[4] : "", int.Parse(parts[2], CultureInfo.InvariantCulture), parts[1] == "1", []);
    }
}
