using System.Text.Json;

namespace Millwright.Testing;

/// <summary>
/// Eclipse Tahu's JavaScript edge node (npm sparkplug-client 3.2.4) run through tests/peers/tahu_peer.js: it
/// connects, publishes its births and data, and reports NCMDs it receives as JSON lines.
/// </summary>
internal sealed class TahuPeer : IAsyncDisposable
{
    private TahuPeer(PeerProcess process) => Process = process;

    public PeerProcess Process { get; }

    /// <param name="config">Serialised as the script's one argument (see tahu_peer.js for its fields).</param>
    public static TahuPeer Start(object config) =>
        new(PeerProcess.Start(NodePeers.Node, NodePeers.Script("tahu_peer.js", "sparkplug-client"), JsonSerializer.Serialize(config)));

    /// <summary>Births and data were handed to the MQTT client (QoS 0: no acknowledgement follows).</summary>
    public Task ReadyAsync() => WaitForAsync("ready");

    public async Task<JsonElement> WaitForAsync(string name, TimeSpan? timeout = null)
    {
        var line = await Process.WaitForLineAsync(l => l.StartsWith('{') && Event(l) is var e && (e == name || e == "error"), timeout);
        var element = JsonDocument.Parse(line).RootElement;
        return element.GetProperty("event").GetString() == "error" && name != "error"
            ? throw new InvalidOperationException($"Tahu reported an error while waiting for '{name}': {line}\n{Process.Describe()}")
            : element;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string? Event(string line) => JsonDocument.Parse(line).RootElement.GetProperty("event").GetString();
}
