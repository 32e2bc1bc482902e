using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Tests.Production;

/// <summary>
/// A machine as the tests drive it, over real MQTT with its device credential: it collects the commands the
/// platform sends on its cmd topic, and the test decides what it answers and what its counters report.
/// </summary>
public sealed class CommandedMachine : IAsyncDisposable
{
    private readonly MqttClientConnection _connection;
    private readonly string _root;
    private long _parts;
    private long _scrap;

    private CommandedMachine(MqttClientConnection connection, string root, string name)
    {
        _connection = connection;
        _root = root;
        Name = name;
    }

    public string Name { get; }

    public ConcurrentQueue<JsonObject> Commands { get; } = new();

    /// <param name="keepAliveSeconds">0 for a test that moves a manual clock by hours: the broker's keep-alive check reads that clock.</param>
    public static async Task<CommandedMachine> ConnectAsync(int port, string tenant, string name, string username, string secret, ushort keepAliveSeconds = 30)
    {
        CommandedMachine? machine = null;
        var connection = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", port, $"{name}-test") { UserName = username, Password = secret, KeepAliveSeconds = keepAliveSeconds },
            p => machine!.Commands.Enqueue(JsonNode.Parse(p.Payload.Span)!.AsObject()));
        machine = new CommandedMachine(connection, $"mw/{tenant}/{name}", name);
        Assert.Equal([ReasonCode.GrantedQoS1], await connection.SubscribeAsync($"{machine._root}/cmd", QualityOfService.AtLeastOnce));
        return machine;
    }

    /// <summary>The next command of <paramref name="type"/>, waiting up to <paramref name="within"/>; others before it are dropped.</summary>
    public async Task<JsonObject> NextAsync(string type, TimeSpan within)
    {
        JsonObject? Take()
        {
            while (Commands.TryDequeue(out var command))
            {
                if (command["type"]?.GetValue<string>() == type)
                {
                    return command;
                }
            }

            return null;
        }

        return (await Eventually.ValueAsync(Take, c => c is not null, $"a '{type}' command for {Name}", within))!;
    }

    public Task<ReasonCode> AnswerAsync(JsonObject command, string status, string? reason = null) =>
        AnswerRawAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["commandId"] = command["commandId"]?.GetValue<string>(), ["jobId"] = command["jobId"]!.GetValue<long>(), ["status"] = status, ["reason"] = reason,
        }));

    /// <summary>Publishes <paramref name="json"/> on its telemetry topic as it is (a test on a manual clock leaves out "ts").</summary>
    public async Task<ReasonCode> ReportRawAsync(string json) =>
        await _connection.PublishAsync($"{_root}/telemetry", Encoding.UTF8.GetBytes(json), QualityOfService.AtLeastOnce);

    public async Task<ReasonCode> AnswerRawAsync(string json) =>
        await _connection.PublishAsync($"{_root}/cmd/ack", Encoding.UTF8.GetBytes(json), QualityOfService.AtLeastOnce);

    /// <summary>Reports its tags: power (running above 1 kW), its alarm code and its part and scrap counters.</summary>
    public async Task ReportAsync(double power, int alarm = 0, int parts = 0, int scrap = 0)
    {
        _parts += parts;
        _scrap += scrap;
        var json = $$$"""{"ts": {{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}, "values": {"power": {{{power}}}, "alarm": {{{alarm}}}, "parts": {{{_parts}}}, "scrap": {{{_scrap}}}}}""";
        Assert.Equal(ReasonCode.Success, await _connection.PublishAsync($"{_root}/telemetry", Encoding.UTF8.GetBytes(json), QualityOfService.AtLeastOnce));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
