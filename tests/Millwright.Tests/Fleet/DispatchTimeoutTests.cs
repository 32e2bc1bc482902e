using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Fleet;
using Millwright.Mqtt;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>
/// A dispatch ends: a machine that never answers has its assignment failed after the timeout, naming the machine and
/// the timeout; a machine that answers in time keeps its answer; the next accepted re-plan sends the timed-out
/// assignment again rather than keeping it; and an unanswered release times out the same way. The clock is moved
/// past the timeout by hand, so nothing waits for it.
/// </summary>
public abstract class DispatchTimeoutTests(FleetClockedHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Timeout = new FleetOptions().DispatchAckTimeout;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_dispatch_the_machine_never_answers_times_out_into_failed_with_the_reason_and_is_sent_again_by_the_next_plan()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 2, serial: "DTO-1");
        await using var silent = await FleetDispatchTests.ConnectAsync(fleet, Host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name, keepAliveSeconds: 0);
        await using var munich = await FleetDispatchTests.ConnectAsync(fleet, Host.MqttPort, fleet.Machines["munich"], "exc-munich", keepAliveSeconds: 0);
        var toMunich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
        var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
        var plan = await fleet.PlanAsync(new { });
        await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}/accept", new { }, HttpStatusCode.OK);

        var command = await munich.NextAsync("fleet.dispatch", Soon);
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"commandId": "{{command["commandId"]}}", "status": "accepted"}"""));
        var unanswered = await silent.NextAsync("fleet.dispatch", Soon);
        await Eventually.ValueAsync(() => PlanAsync(fleet, plan.Id()), p => Dispatches(p)[toMunich]["status"]!.GetValue<string>() == "acknowledged", "Munich's answer recorded", Soon);

        // A moment short of the timeout nothing fails; past it the silent one does (the sweep's loop may get there first).
        var sweep = Host.Service<DispatchTimeouts>();
        fixture.Clock.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));
        Assert.Equal("sent", Dispatches(await PlanAsync(fleet, plan.Id()))[toBerlin]["status"]!.GetValue<string>());
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await sweep.SweepAsync(CancellationToken.None);
        var byRequest = Dispatches(await PlanAsync(fleet, plan.Id()));
        Assert.Equal("acknowledged", byRequest[toMunich]["status"]!.GetValue<string>());
        Assert.Equal("failed", byRequest[toBerlin]["status"]!.GetValue<string>());
        Assert.Equal($"no answer from {fleet.Kit.Name} within 300 s (timed out)", byRequest[toBerlin]["detail"]!.GetValue<string>());
        var waited = byRequest[toBerlin]["answeredAt"]!.GetValue<DateTimeOffset>() - byRequest[toBerlin]["sentAt"]!.GetValue<DateTimeOffset>();
        Assert.True(waited >= Timeout, $"failed after {waited}, before the timeout");

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

        // Munich's machine breaks down: it is released from its acknowledged dispatch, and a release nobody answers fails too.
        var third = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["munich"] } });
        var released = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{third.Id()}/accept", new { }, HttpStatusCode.OK);
        var release = Assert.Single(released["releases"]!.AsArray())!;
        Assert.Equal(fleet.Machines["munich"], release["machineId"]!.GetValue<long>());
        await munich.NextAsync("fleet.release", Soon);
        fixture.Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await sweep.SweepAsync(CancellationToken.None);
        var timedOut = Assert.Single((await PlanAsync(fleet, third.Id()))["releases"]!.AsArray())!["dispatch"]!;
        Assert.Equal("failed", timedOut["status"]!.GetValue<string>());
        Assert.Equal("no answer from exc-munich to its release within 300 s (timed out)", timedOut["detail"]!.GetValue<string>());
    }

    private static Task<JsonNode> PlanAsync(AllocationFleetKit fleet, long id) => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{id}");

    private static Dictionary<long, JsonNode> Dispatches(JsonNode plan) =>
        plan["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!["dispatch"]!);

    public sealed class OnSqlite(FleetClockedSqliteHost host) : DispatchTimeoutTests(host), IClassFixture<FleetClockedSqliteHost>;

    public sealed class OnPostgres(FleetClockedPostgresHost host) : DispatchTimeoutTests(host), IClassFixture<FleetClockedPostgresHost>;
}
