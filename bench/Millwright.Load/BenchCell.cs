using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Bench;

/// <summary>A production bench machine over MQTT: accepts every job it is sent, drops cancelled ones, and reports power and alarm on demand.</summary>
internal sealed class BenchCell : IAsyncDisposable
{
    private readonly MqttClientConnection _connection;
    private readonly string _root;
    private long _holding;

    private BenchCell(MqttClientConnection connection, long id, string name)
    {
        _connection = connection;
        Id = id;
        Name = name;
        _root = $"mw/bench/{name}";
    }

    public long Id { get; }

    public string Name { get; }

    /// <summary>The job it holds (the last accepted and not cancelled), if any.</summary>
    public long? Holding => Interlocked.Read(ref _holding) is var job && job > 0 ? job : null;

    public static async Task<BenchCell> ConnectAsync(IPEndPoint broker, long id, string name, string user, string secret, CancellationToken ct)
    {
        BenchCell? cell = null;
        var connection = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions(broker.Address.ToString(), broker.Port, name) { UserName = user, Password = secret },
            p => cell!.OnCommand(JsonNode.Parse(p.Payload.Span)!.AsObject()), ct);
        cell = new BenchCell(connection, id, name);
        await connection.SubscribeAsync($"{cell._root}/cmd", QualityOfService.AtLeastOnce, ct);
        await cell.ReportAsync(power: 5, alarm: 0, ct);
        return cell;
    }

    public async Task ReportAsync(double power, int alarm, CancellationToken ct)
    {
        var json = $$$"""{"values": {"power": {{{power}}}, "alarm": {{{alarm}}}}}""";
        await _connection.PublishAsync($"{_root}/telemetry", Encoding.UTF8.GetBytes(json), QualityOfService.AtLeastOnce, cancellationToken: ct);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    /// <summary>Runs on the client's reader loop: the answer is sent from the pool so the loop never waits on it.</summary>
    private void OnCommand(JsonObject command)
    {
        var job = command["jobId"]?.GetValue<long>() ?? 0;
        var type = command["type"]?.GetValue<string>();
        if (type == "job")
        {
            Interlocked.Exchange(ref _holding, job);
            Answer(command, "accepted");
        }
        else if (type == "cancel")
        {
            Interlocked.CompareExchange(ref _holding, 0, job);
            Answer(command, "cancelled");
        }
    }

    private void Answer(JsonObject command, string status)
    {
        var json = $$$"""{"commandId": "{{{command["commandId"]?.GetValue<string>()}}}", "jobId": {{{command["jobId"]?.GetValue<long>()}}}, "status": "{{{status}}}"}""";
        _ = Task.Run(() => _connection.PublishAsync($"{_root}/cmd/ack", Encoding.UTF8.GetBytes(json), QualityOfService.AtLeastOnce).AsTask());
    }
}
