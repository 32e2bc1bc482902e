using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Simulator;

/// <summary>
/// The wire contract of docs/production.md ("Commands to machines") end to end: a job published with a tenant
/// key on the platform's broker reaches a simulated machine through its device credential, and its answers and
/// part counter come back through the platform.
/// </summary>
public sealed class JobTakingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_simulated_machine_takes_a_job_from_its_cmd_topic_answers_accepted_then_completed_and_its_part_count_rises()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true);
        using var t = await host.CreateTenantAsync("sim");
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 15020, CancellationToken.None);
        var cnc = Assert.Single(machines);
        Assert.Equal(Protocol.MqttJson, cnc.Protocol);
        var broker = new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug);
        var answers = new ConcurrentQueue<JsonObject>();
        await using var dispatcher = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", broker.Port, "dispatcher") { UserName = "dispatcher", Password = t.AdminKey },
            p => answers.Enqueue(JsonNode.Parse(Encoding.UTF8.GetString(p.Payload.Span))!.AsObject()));
        await dispatcher.SubscribeAsync($"mw/{t.Slug}/+/cmd/ack", QualityOfService.AtLeastOnce);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, new JobMode());
        var running = factory.RunAsync(stop.Token);
        await WaitUntilAsync(() => Task.FromResult(factory.Stats.Connected(Protocol.MqttJson) == 1));
        Assert.Equal(0, (await LatestAsync(t, cnc.Id)).GetValueOrDefault("part_count")?.GetValue<long>() ?? 0);

        var job = """{"type":"job","commandId":"j42-1","jobId":42,"program":"O1234","quantity":5,"setupSeconds":0.2,"unitSeconds":0.2}""";
        Assert.Equal(ReasonCode.Success, await dispatcher.PublishAsync($"mw/{t.Slug}/{cnc.Name}/cmd", Encoding.UTF8.GetBytes(job), QualityOfService.AtLeastOnce));
        await WaitUntilAsync(() => Task.FromResult(answers.Count >= 2));
        var (accepted, completed) = (answers.First(), answers.Skip(1).First());
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());
        Assert.Equal("j42-1", accepted["commandId"]!.GetValue<string>());
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal(42, completed["jobId"]!.GetValue<long>());
        Assert.Equal(5, completed["good"]!.GetValue<long>());
        var made = 5 + completed["scrap"]!.GetValue<long>();

        // Progress as the platform sees it: the part counter in the machine's telemetry, and the job's program.
        await WaitUntilAsync(async () => (await LatestAsync(t, cnc.Id)).GetValueOrDefault("part_count")?.GetValue<long>() == made);
        Assert.Equal("O1234", (await LatestAsync(t, cnc.Id))["program"]!.GetValue<string>());
        await stop.CancelAsync();
        await running;
        Assert.Equal(1, factory.Stats.Answers(JobStatus.Completed));
    }

    private static async Task<Dictionary<string, JsonNode?>> LatestAsync(TestTenant t, long machineId)
    {
        var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest");
        return latest["values"]!.AsArray().ToDictionary(v => v!["tag"]!.GetValue<string>(), v => v!["value"]);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.TrueAsync(condition, "the machine's condition", Deadline);
}
