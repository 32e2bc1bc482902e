using System.Net;
using Millwright.Mqtt;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Fleet;

/// <summary>
/// Dispatch end to end: accepting a plan sends each assignment to its machine's telematics unit over real MQTT
/// through the machine-command port, and the machines' answers on cmd/ack mark the assignments acknowledged or failed.
/// </summary>
public abstract class FleetDispatchTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_accepted_plan_reaches_each_machine_over_MQTT_and_its_answer_marks_the_assignment()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 2, serial: "DSP-1");
        await using var berlin = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name);
        await using var munich = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["munich"], "exc-munich");
        var toMunich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575, "2027-03-01T06:00:00Z", "2027-03-04T18:00:00Z");
        var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
        var plan = await fleet.PlanAsync(new { });

        var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}/accept", new { }, HttpStatusCode.OK);
        Assert.All(accepted["assignments"]!.AsArray(), a =>
        {
            Assert.Equal("sent", a!["dispatch"]!["status"]!.GetValue<string>());
            Assert.Contains($"mw/{fleet.Tenant.Slug}/", a["dispatch"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        });

        var command = await munich.NextAsync("fleet.dispatch", Soon);
        Assert.Equal("Munich ring road", command["site"]!.GetValue<string>());
        Assert.Equal(48.137, command["latitude"]!.GetValue<double>(), 6);
        Assert.Equal(11.575, command["longitude"]!.GetValue<double>(), 6);
        Assert.Equal(DateTimeOffset.Parse("2027-03-01T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture), command["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(toMunich, command["requestId"]!.GetValue<long>());
        Assert.StartsWith("driver-", command["operator"]!.GetValue<string>(), StringComparison.Ordinal);
        var berlinCommand = await berlin.NextAsync("fleet.dispatch", Soon);
        Assert.Equal(toBerlin, berlinCommand["requestId"]!.GetValue<long>());

        // A malformed answer is refused at the broker (the machine hears why); an answer for another machine's assignment is ignored.
        Assert.Equal(ReasonCode.PayloadFormatInvalid, await munich.AnswerRawAsync($$"""{"assignmentId": {{command["assignmentId"]}}, "status": "maybe"}"""));
        Assert.Equal(ReasonCode.Success, await berlin.AnswerRawAsync($$"""{"assignmentId": {{berlinCommand["assignmentId"]}}, "status": "accepted"}"""));
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"assignmentId": {{berlinCommand["assignmentId"]}}, "status": "rejected", "reason": "not mine"}"""));
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"assignmentId": {{command["assignmentId"]}}, "status": "rejected", "reason": "low-loader broke down"}"""));

        var answered = await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}"),
            p => p["assignments"]!.AsArray().All(a => a!["dispatch"]!["answeredAt"] is not null), "both machines' answers recorded", Soon);
        var byRequest = answered["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!["dispatch"]!);
        Assert.Equal("acknowledged", byRequest[toBerlin]["status"]!.GetValue<string>());
        Assert.Equal("failed", byRequest[toMunich]["status"]!.GetValue<string>());
        Assert.Contains("low-loader broke down", byRequest[toMunich]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_are_the_fleets_by_the_command_ids_namespace_not_by_their_fields_and_the_older_form_still_counts()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 3, serial: "DSP-2");
        await using var berlin = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name);
        await using var munich = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["munich"], "exc-munich");
        await using var hamburg = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["hamburg"], "exc-hamburg");
        var toMunich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
        var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
        var toHamburg = await fleet.RequestAsync("Hamburg port", 53.54, 9.98);
        var plan = await fleet.PlanAsync(new { });
        await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}/accept", new { }, HttpStatusCode.OK);
        var toM = await munich.NextAsync("fleet.dispatch", Soon);
        var toB = await berlin.NextAsync("fleet.dispatch", Soon);
        var toH = await hamburg.NextAsync("fleet.dispatch", Soon);
        Assert.Equal($"fleet:{toM["assignmentId"]}", toM["commandId"]!.GetValue<string>());

        // A jobId would once have made this production's answer; the id's namespace says it is the fleet's.
        Assert.Equal(ReasonCode.Success, await munich.AnswerRawAsync($$"""{"commandId": "{{toM["commandId"]}}", "jobId": 99, "status": "accepted"}"""));
        // The older form, without a commandId, is still the fleet's by its assignmentId.
        Assert.Equal(ReasonCode.Success, await berlin.AnswerRawAsync($$"""{"assignmentId": {{toB["assignmentId"]}}, "status": "rejected", "reason": "track tension fault"}"""));
        // Both given: they must agree. A namespace no feature owns is refused, not guessed at.
        Assert.Equal(ReasonCode.PayloadFormatInvalid, await hamburg.AnswerRawAsync($$"""{"commandId": "{{toH["commandId"]}}", "assignmentId": {{toM["assignmentId"]}}, "status": "accepted"}"""));
        Assert.Equal(ReasonCode.PayloadFormatInvalid, await hamburg.AnswerRawAsync("""{"commandId": "crane:7", "status": "accepted"}"""));
        Assert.Equal(ReasonCode.PayloadFormatInvalid, await hamburg.AnswerRawAsync("""{"commandId": "fleet:abc", "status": "accepted"}"""));

        var answered = await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{plan.Id()}"),
            p => p["assignments"]!.AsArray().Count(a => a!["dispatch"]!["answeredAt"] is not null) == 2, "two answers recorded", Soon);
        var byRequest = answered["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!["dispatch"]!);
        Assert.Equal("acknowledged", byRequest[toMunich]["status"]!.GetValue<string>());
        Assert.Equal("failed", byRequest[toBerlin]["status"]!.GetValue<string>());
        Assert.Contains("track tension fault", byRequest[toBerlin]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sent", byRequest[toHamburg]["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Accepting_a_re_plan_sends_only_the_changed_assignments_and_the_unchanged_keep_their_state()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 4, serial: "DSP-3");
        var machines = await ConnectFourAsync(fleet);
        try
        {
            var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
            var toMunich = await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
            var toHamburg = await fleet.RequestAsync("Hamburg port", 53.54, 9.98);
            var first = await fleet.PlanAsync(new { });
            await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}/accept", new { }, HttpStatusCode.OK);
            var sent = new Dictionary<string, System.Text.Json.Nodes.JsonObject>();
            foreach (var place in new[] { "berlin", "munich", "hamburg" })
            {
                sent[place] = await machines[place].NextAsync("fleet.dispatch", Soon);
                Assert.Equal(ReasonCode.Success, await machines[place].AnswerRawAsync($$"""{"commandId": "{{sent[place]["commandId"]}}", "status": "accepted"}"""));
            }

            await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}"),
                p => p["assignments"]!.AsArray().All(a => a!["dispatch"]!["status"]!.GetValue<string>() == "acknowledged"), "all three acknowledged", Soon);

            // Hamburg's excavator breaks down, and Munich's request moves a day later: Berlin's assignment is unchanged.
            await fleet.Operator.PutJsonAsync($"/api/v1/fleet/site-requests/{toMunich}",
                AllocationFleetKit.Request("Munich ring road", 48.137, 11.575, "2027-03-02T00:00:00Z", "2027-03-05T00:00:00Z"), HttpStatusCode.OK);
            var replan = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["hamburg"] } });
            var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}/accept", new { }, HttpStatusCode.OK);
            var byRequest = accepted["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!);

            var kept = byRequest[toBerlin]!;
            Assert.Equal(fleet.Machines["berlin"], kept["machineId"]!.GetValue<long>());
            Assert.True(kept["dispatch"]!["kept"]!.GetValue<bool>());
            Assert.Equal("acknowledged", kept["dispatch"]!["status"]!.GetValue<string>());
            Assert.Equal(sent["berlin"]["commandId"]!.GetValue<string>(), kept["dispatch"]!["commandId"]!.GetValue<string>());

            Assert.Equal(fleet.Machines["munich"], byRequest[toMunich]!["machineId"]!.GetValue<long>());
            Assert.False(byRequest[toMunich]!["dispatch"]!["kept"]!.GetValue<bool>());
            Assert.Equal("sent", byRequest[toMunich]!["dispatch"]!["status"]!.GetValue<string>());
            Assert.Equal(fleet.Machines["paris"], byRequest[toHamburg]!["machineId"]!.GetValue<long>());
            Assert.Equal("sent", byRequest[toHamburg]!["dispatch"]!["status"]!.GetValue<string>());

            var munichAgain = await machines["munich"].NextAsync("fleet.dispatch", Soon);
            Assert.Equal(new DateTimeOffset(2027, 3, 2, 0, 0, 0, TimeSpan.Zero), munichAgain["start"]!.GetValue<DateTimeOffset>());
            Assert.NotEqual(sent["munich"]["commandId"]!.GetValue<string>(), munichAgain["commandId"]!.GetValue<string>());
            var paris = await machines["paris"].NextAsync("fleet.dispatch", Soon);
            Assert.Equal(toHamburg, paris["requestId"]!.GetValue<long>());
            // Both commands of this acceptance have arrived (one publish loop, in assignment order); Berlin's unit got none.
            Assert.DoesNotContain(machines["berlin"].Commands, c => c["type"]?.GetValue<string>() == "fleet.dispatch");

            // The kept assignment's state is the earlier command's: an answer to it now shows in both revisions.
            Assert.Equal(ReasonCode.Success, await machines["paris"].AnswerRawAsync($$"""{"commandId": "{{paris["commandId"]}}", "status": "accepted"}"""));
            await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}"),
                p => p["assignments"]!.AsArray().Single(a => a!["requestId"]!.GetValue<long>() == toHamburg)!["dispatch"]!["status"]!.GetValue<string>() == "acknowledged",
                "Paris's answer recorded", Soon);

            // A third revision with nothing changed sends nothing; every dispatch is the one the machine already has.
            var third = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["hamburg"] } });
            var quiet = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{third.Id()}/accept", new { }, HttpStatusCode.OK);
            Assert.All(quiet["assignments"]!.AsArray(), a => Assert.True(a!["dispatch"]!["kept"]!.GetValue<bool>()));
            Assert.Equal(sent["berlin"]["commandId"]!.GetValue<string>(),
                quiet["assignments"]!.AsArray().Single(a => a!["requestId"]!.GetValue<long>() == toBerlin)!["dispatch"]!["commandId"]!.GetValue<string>());
            var audit = await fleet.Tenant.Admin.ListAsync("/api/v1/audit?entity=allocation-plan");
            Assert.Contains(audit, e => e!["summary"]!.GetValue<string>() == "0 assignments sent to their machines, 3 unchanged from the plan in force before and not sent again, 0 machines released");
        }
        finally
        {
            foreach (var machine in machines.Values)
            {
                await machine.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_machine_a_re_plan_moves_off_its_request_is_sent_a_release_whose_answer_shows_in_the_plan()
    {
        using var fleet = await AllocationFleetKit.CreateAsync(Host, machines: 4, serial: "DSP-4");
        var machines = await ConnectFourAsync(fleet);
        try
        {
            var toBerlin = await fleet.RequestAsync("Berlin BER", 52.4, 13.0);
            await fleet.RequestAsync("Munich ring road", 48.137, 11.575);
            var toHamburg = await fleet.RequestAsync("Hamburg port", 53.54, 9.98);
            var first = await fleet.PlanAsync(new { });
            await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}/accept", new { }, HttpStatusCode.OK);
            var hamburgDispatch = await machines["hamburg"].NextAsync("fleet.dispatch", Soon);
            var berlinDispatch = await machines["berlin"].NextAsync("fleet.dispatch", Soon);
            Assert.Equal(ReasonCode.Success, await machines["hamburg"].AnswerRawAsync($$"""{"commandId": "{{hamburgDispatch["commandId"]}}", "status": "accepted"}"""));
            await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}"),
                p => p["assignments"]!.AsArray().Any(a => a!["dispatch"]!["status"]!.GetValue<string>() == "acknowledged"), "Hamburg's answer recorded", Soon);

            // Hamburg's excavator breaks down and Berlin's request is cancelled: Hamburg's request goes to Berlin's machine,
            // the nearest free one. Both are released from what they held (Hamburg's dispatch acknowledged, Berlin's still
            // unanswered); Munich's assignment is unchanged and Paris's machine had none.
            await fleet.Operator.PostJsonAsync($"/api/v1/fleet/site-requests/{toBerlin}/cancel", new { }, HttpStatusCode.OK);
            var replan = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["hamburg"] } });
            var accepted = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}/accept", new { }, HttpStatusCode.OK);
            Assert.Equal(fleet.Machines["berlin"], AllocationFleetKit.Assignments(accepted)[toHamburg]);
            var releases = accepted["releases"]!.AsArray().ToDictionary(r => r!["machineId"]!.GetValue<long>(), r => r!);
            Assert.Equal(2, releases.Count);
            var hamburgRelease = releases[fleet.Machines["hamburg"]];
            Assert.Equal(toHamburg, hamburgRelease["requestId"]!.GetValue<long>());
            Assert.Equal(hamburgDispatch["commandId"]!.GetValue<string>(), hamburgRelease["releases"]!.GetValue<string>());
            Assert.Equal("sent", hamburgRelease["dispatch"]!["status"]!.GetValue<string>());
            Assert.Contains($"the request goes to {fleet.Kit.Name}", hamburgRelease["dispatch"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            var berlinRelease = releases[fleet.Machines["berlin"]];
            Assert.Equal(toBerlin, berlinRelease["requestId"]!.GetValue<long>());
            Assert.Contains("no longer in the plan", berlinRelease["dispatch"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            // Each released machine gets the command through the port, namespaced like a dispatch.
            var release = await machines["hamburg"].NextAsync("fleet.release", Soon);
            Assert.Equal($"fleet:release-{hamburgRelease["id"]}", release["commandId"]!.GetValue<string>());
            Assert.Equal(toHamburg, release["requestId"]!.GetValue<long>());
            Assert.Equal("Hamburg port", release["site"]!.GetValue<string>());
            Assert.Equal(hamburgDispatch["commandId"]!.GetValue<string>(), release["releases"]!.GetValue<string>());
            // Dispatches go out before releases, so Berlin's unit hears of its new site first.
            Assert.Equal(toHamburg, (await machines["berlin"].NextAsync("fleet.dispatch", Soon))["requestId"]!.GetValue<long>());
            var berlinReleased = await machines["berlin"].NextAsync("fleet.release", Soon);
            Assert.Equal(berlinDispatch["commandId"]!.GetValue<string>(), berlinReleased["releases"]!.GetValue<string>());
            Assert.DoesNotContain(machines["munich"].Commands, c => c["type"]?.GetValue<string>() == "fleet.release");
            Assert.DoesNotContain(machines["paris"].Commands, c => c["type"]?.GetValue<string>() is "fleet.release" or "fleet.dispatch");

            // Only the released machine answers for its release; an assignmentId beside a release's id is refused.
            Assert.Equal(ReasonCode.PayloadFormatInvalid,
                await machines["hamburg"].AnswerRawAsync($$"""{"commandId": "{{release["commandId"]}}", "assignmentId": {{hamburgDispatch["assignmentId"]}}, "status": "accepted"}"""));
            Assert.Equal(ReasonCode.Success, await machines["munich"].AnswerRawAsync($$"""{"commandId": "{{release["commandId"]}}", "status": "rejected", "reason": "not mine"}"""));
            Assert.Equal(ReasonCode.Success, await machines["hamburg"].AnswerRawAsync($$"""{"commandId": "{{release["commandId"]}}", "status": "accepted"}"""));
            Assert.Equal(ReasonCode.Success, await machines["berlin"].AnswerRawAsync($$"""{"commandId": "{{berlinReleased["commandId"]}}", "status": "rejected", "reason": "already on site"}"""));
            var answered = await Eventually.ValueAsync(() => fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{replan.Id()}"),
                p => p["releases"]!.AsArray().All(r => r!["dispatch"]!["answeredAt"] is not null), "both releases answered", Soon);
            var states = answered["releases"]!.AsArray().ToDictionary(r => r!["machineId"]!.GetValue<long>(), r => r!["dispatch"]!);
            Assert.Equal("acknowledged", states[fleet.Machines["hamburg"]]["status"]!.GetValue<string>());
            Assert.Equal("failed", states[fleet.Machines["berlin"]]["status"]!.GetValue<string>());
            Assert.Contains("already on site", states[fleet.Machines["berlin"]]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty((await fleet.Tenant.Viewer.GetJsonAsync($"/api/v1/fleet/allocation-plans/{first.Id()}"))["releases"]!.AsArray());

            // Accepted again with nothing changed, a revision releases nobody: the released machines hold nothing now.
            var third = await fleet.PlanAsync(new { changePenalty = 1000, brokenDown = new[] { fleet.Machines["hamburg"] } });
            var quiet = await fleet.Operator.PostJsonAsync($"/api/v1/fleet/allocation-plans/{third.Id()}/accept", new { }, HttpStatusCode.OK);
            Assert.Empty(quiet["releases"]!.AsArray());
        }
        finally
        {
            foreach (var machine in machines.Values)
            {
                await machine.DisposeAsync();
            }
        }
    }

    /// <summary>The four machines of a four-machine kit, each connected and listening for its commands.</summary>
    private async Task<Dictionary<string, CommandedMachine>> ConnectFourAsync(AllocationFleetKit fleet) => new()
    {
        ["berlin"] = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["berlin"], fleet.Kit.Name),
        ["munich"] = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["munich"], "exc-munich"),
        ["hamburg"] = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["hamburg"], "exc-hamburg"),
        ["paris"] = await ConnectAsync(fleet, Host.MqttPort, fleet.Machines["paris"], "exc-paris"),
    };

    internal static async Task<CommandedMachine> ConnectAsync(AllocationFleetKit fleet, int port, long machineId, string name, ushort keepAliveSeconds = 30)
    {
        var credential = await fleet.Operator.PostJsonAsync($"/api/v1/machines/{machineId}/credentials", new { }, HttpStatusCode.Created);
        return await CommandedMachine.ConnectAsync(port, fleet.Tenant.Slug, name, credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), keepAliveSeconds);
    }

    public sealed class OnSqlite(MqttSqliteHost host) : FleetDispatchTests(host), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host) : FleetDispatchTests(host), IClassFixture<MqttPostgresHost>;
}
