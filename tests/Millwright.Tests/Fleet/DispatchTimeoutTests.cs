using System.Net;
using Millwright.Mqtt;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>
/// A dispatch ends: a machine that never answers has its assignment failed after the timeout, naming the machine and
/// the timeout; a machine that answers in time keeps its answer; and the next accepted re-plan sends the timed-out
/// assignment again rather than keeping it.
/// </summary>
public abstract class DispatchTimeoutTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_dispatch_the_machine_never_answers_times_out_into_failed_with_the_reason_and_is_sent_again_by_the_next_plan()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 2, serial: "DTO-1");
        await using var silent = await FleetDispatchTests.ConnectAsync(fleet, Host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name);
        await using var munich = await FleetDispatchTests.ConnectAsync(fleet, Host.MqttPort, fleet.Machines["munich"], "exc-munich");
        var toMunich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
        var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
        var plan = await fleet.PlanAsync(new { });
        await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}/accept", new { }, HttpStatusCode.OK);

        var command = await munich.NextAsync("fleet.dispatch", Soon);
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"commandId": "{{command["commandId"]}}", "status": "accepted"}"""));
        var unanswered = await silent.NextAsync("fleet.dispatch", Soon);

        static Dictionary<long, System.Text.Json.Nodes.JsonNode> Dispatches(System.Text.Json.Nodes.JsonNode plan) =>
            plan["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!["dispatch"]!);
        var ended = await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}"),
            p => Dispatches(p)[toMunich]["status"]!.GetValue<string>() == "acknowledged" && Dispatches(p)[toBerlin]["status"]!.GetValue<string>() == "failed",
            "the answered dispatch acknowledged and the silent one failed", Soon);
        var byRequest = Dispatches(ended);
        Assert.Equal($"no answer from {fleet.Kit.Name} within 3 s (timed out)", byRequest[toBerlin]["detail"]!.GetValue<string>());
        var waited = byRequest[toBerlin]["answeredAt"]!.GetValue<DateTimeOffset>() - byRequest[toBerlin]["sentAt"]!.GetValue<DateTimeOffset>();
        Assert.True(waited >= FleetDispatchTimeoutSqliteHost.Timeout, $"failed after {waited}, before the timeout");

        // Nothing changed in the re-plan, but a failed dispatch is never kept: it goes out again under a new id; the acknowledged one is kept.
        var replan = await fleet.PlanAsync(new { changePenalty = 1000 });
        var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}/accept", new { }, HttpStatusCode.OK);
        var again = Dispatches(accepted);
        Assert.Equal("sent", again[toBerlin]["status"]!.GetValue<string>());
        Assert.False(again[toBerlin]["kept"]!.GetValue<bool>());
        Assert.True(again[toMunich]["kept"]!.GetValue<bool>());
        Assert.Equal(command["commandId"]!.GetValue<string>(), again[toMunich]["commandId"]!.GetValue<string>());
        var resent = await silent.NextAsync("fleet.dispatch", Soon);
        Assert.NotEqual(unanswered["commandId"]!.GetValue<string>(), resent["commandId"]!.GetValue<string>());
        Assert.Equal(again[toBerlin]["commandId"]!.GetValue<string>(), resent["commandId"]!.GetValue<string>());
    }

    public sealed class OnSqlite(FleetDispatchTimeoutSqliteHost host) : DispatchTimeoutTests(host), IClassFixture<FleetDispatchTimeoutSqliteHost>;

    public sealed class OnPostgres(FleetDispatchTimeoutPostgresHost host) : DispatchTimeoutTests(host), IClassFixture<FleetDispatchTimeoutPostgresHost>;
}
