using System.Text.Json;
using Millwright.Mqtt;

namespace Millwright.Testing;

/// <summary>paho-mqtt 1.6 (Debian's python3-paho-mqtt) driven through peers/paho_peer.py, which reports events as JSON lines.</summary>
internal sealed class PahoPeer : IAsyncDisposable
{
    // Debian's python3 packages are only visible to the system interpreter, not to a pyenv python3 on PATH.
    private const string Python = "/usr/bin/python3";

    private PahoPeer(PeerProcess process) => Process = process;

    public PeerProcess Process { get; }

    public IReadOnlyList<PeerMessage> Messages => Process.Lines.Select(Parse).Where(e => e.GetProperty("event").GetString() == "message").Select(ToMessage).ToList();

    public static PahoPeer Start(int port, MqttProtocolVersion version, params string[] arguments)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "paho_peer.py");
        return new PahoPeer(PeerProcess.Start(Python, [script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--version", ((int)version).ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]));
    }

    public async Task<JsonElement> WaitForEventAsync(string name, TimeSpan? timeout = null)
    {
        var line = await Process.WaitForLineAsync(l => l.StartsWith('{') && Parse(l).GetProperty("event").GetString() is { } e && (e == name || e == "error"), timeout);
        var element = Parse(line);
        return element.GetProperty("event").GetString() == "error" && name != "error"
            ? throw new InvalidOperationException($"paho reported an error while waiting for '{name}': {line}\n{Process.Describe()}")
            : element;
    }

    /// <summary>Connected and subscribed: what it publishes or receives from now on is the test's.</summary>
    public Task ReadyAsync() => WaitForEventAsync("ready");

    public async Task<IReadOnlyList<PeerMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        await Process.WaitForLinesAsync(lines => lines.Count(l => l.Contains("\"event\": \"message\"", StringComparison.Ordinal)) >= count ? lines : null, timeout);
        return Messages;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static JsonElement Parse(string line) => line.StartsWith('{') ? JsonDocument.Parse(line).RootElement : JsonDocument.Parse("{\"event\":\"text\"}").RootElement;

    private static PeerMessage ToMessage(JsonElement e) => new(
        e.GetProperty("topic").GetString()!,
        e.GetProperty("payload").GetString()!,
        e.GetProperty("qos").GetInt32(),
        e.GetProperty("retain").GetInt32() == 1,
        [.. e.GetProperty("user_props").EnumerateArray().Select(p => KeyValuePair.Create(p[0].GetString()!, p[1].GetString()!))]);
}
