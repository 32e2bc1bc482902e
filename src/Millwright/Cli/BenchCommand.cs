using System.CommandLine;
using Millwright.Bench;
using Millwright.Mqtt;

namespace Millwright.Cli;

/// <summary><c>millwright bench</c>: load generators for whole-system benchmarks (see bench/ and docs/benchmarks.md).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Load generators for benchmarks");
        command.Subcommands.Add(Mqtt());
        return command;
    }

    private static Command Mqtt()
    {
        var target = EndPointOption.Create("--target", "The broker under test, host:port", "127.0.0.1:1883");
        var scenario = new Option<string>("--scenario") { Description = "fanin, latency or idle", DefaultValueFactory = _ => "fanin" };
        scenario.AcceptOnlyFromAmong("fanin", "latency", "idle");
        var publishers = new Option<int>("--publishers") { Description = "Publishing clients", DefaultValueFactory = _ => 100 };
        var qos = new Option<int>("--qos") { Description = "QoS of the fan-in publishes and subscription (0 or 1)", DefaultValueFactory = _ => 0 };
        qos.AcceptOnlyFromAmong("0", "1");
        var payload = new Option<int>("--payload") { Description = "Payload bytes", DefaultValueFactory = _ => 100 };
        var seconds = new Option<int>("--seconds") { Description = "How long to load (fanin, latency) or hold (idle)", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Total publishes per second (latency)", DefaultValueFactory = _ => 10_000 };
        var connections = new Option<int>("--connections") { Description = "Idle connections to hold (idle)", DefaultValueFactory = _ => 10_000 };

        var command = new Command("mqtt", "Fan-in throughput, latency at a rate, or idle connections against any MQTT broker");
        foreach (var option in new Option[] { target, scenario, publishers, qos, payload, seconds, rate, connections })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var endPoint = EndPointOption.Read(result, target);
            var host = endPoint.Address.ToString();
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            var line = result.GetValue(scenario) switch
            {
                "latency" => await MqttLoad.LatencyAsync(host, endPoint.Port, result.GetValue(publishers), result.GetValue(rate), duration, ct),
                "idle" => await MqttLoad.IdleAsync(host, endPoint.Port, result.GetValue(connections), duration, Console.Error.WriteLine, ct),
                _ => await MqttLoad.FanInAsync(host, endPoint.Port, result.GetValue(publishers), (QualityOfService)result.GetValue(qos), result.GetValue(payload), duration, ct),
            };
            await Console.Out.WriteLineAsync(line);
            return ExitCodes.Ok;
        });
        return command;
    }
}
