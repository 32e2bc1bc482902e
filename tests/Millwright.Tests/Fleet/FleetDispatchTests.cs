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

    private static async Task<CommandedMachine> ConnectAsync(AllocationFleetKit fleet, int port, long machineId, string name)
    {
        var credential = await fleet.Operator.PostJsonAsync($"/api/v1/machines/{machineId}/credentials", new { }, HttpStatusCode.Created);
        return await CommandedMachine.ConnectAsync(port, fleet.Tenant.Slug, name, credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
    }

    public sealed class OnSqlite(MqttSqliteHost host) : FleetDispatchTests(host), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host) : FleetDispatchTests(host), IClassFixture<MqttPostgresHost>;
}
