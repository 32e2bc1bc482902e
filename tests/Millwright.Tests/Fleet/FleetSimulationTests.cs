using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Millwright.Cli;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Fleet;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary><c>simulate --fleet</c> end to end: provisioning in bulk, depot gateways, and the AEMP snapshot they fill; bulk enrolment's refusals.</summary>
public abstract class FleetSimulationTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_simulated_fleet_reports_every_machine_through_one_gateway_per_depot_into_the_aemp_snapshot()
    {
        using var t = await Host.CreateTenantAsync("fleetsim");
        using var stranger = await Host.CreateTenantAsync("fleetother");
        using var output = new StringWriter();
        using var errors = new StringWriter();
        using var stop = new CancellationTokenSource();
        FleetSimulation? fleet = null;
        var run = Task.Run(() => SimulateFleet.RunAsync(12, new BrokerAddress("127.0.0.1", Host.MqttPort, t.Slug), Host.BaseAddress, t.OperatorKey, TimeSpan.FromSeconds(1), 1,
            TextWriter.Synchronized(output), TextWriter.Synchronized(errors), stop.Token, f => fleet = f, perDepot: 5));

        // Every machine in the snapshot with its location, hour meters and fuel, reported through 3 gateways.
        var snapshot = await Eventually.ValueAsync(() => FleetAsync(t.Viewer), doc => doc?["Equipment"]?.AsArray() is { Count: 12 } all
                && all.All(e => e!["Location"] is not null && e["CumulativeOperatingHours"] is not null && e["CumulativeIdleHours"] is not null && e["FuelUsed"] is not null),
            "12 machines with location, hours and fuel in the AEMP snapshot", TimeSpan.FromSeconds(60));
        Assert.Equal(3, fleet!.Gateways);
        Assert.Equal(3, fleet.Stats.Connected);
        Assert.Equal(0, fleet.Stats.Refused);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"fleet-{i:D6}"), snapshot!["Equipment"]!.AsArray().Select(e => e!["EquipmentHeader"]!["EquipmentID"]!.GetValue<string>()).Order());
        Assert.All(snapshot["Equipment"]!.AsArray(), e =>
        {
            Assert.InRange(e!["Location"]!["Latitude"]!.GetValue<double>(), 43.3, 50.8);
            Assert.StartsWith("SIM", e["EquipmentHeader"]!["SerialNumber"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        await Eventually.TrueAsync(() => fleet.Stats.Acknowledged >= 24, "a second round of stored reports");

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run);
        Assert.Contains("depot 3/3: depot-003-gw and 4 machines (12 of 12)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("gateways 3/3", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", errors.ToString());

        // The other tenant's snapshot has none of them.
        Assert.Empty((await FleetAsync(stranger.Viewer))!["Equipment"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task Bulk_enrolment_creates_new_machines_updates_known_ones_and_refuses_bad_batches_and_other_tenants_lines()
    {
        using var t = await Host.CreateTenantAsync("fleetenrol");
        using var stranger = await Host.CreateTenantAsync("fleetenrolx");
        var plant = await Plant.CreateAsync(t);
        var theirs = await Plant.CreateAsync(stranger);
        object Batch(long lineId, long typeId, params string[] names) => new
        {
            lineId, machineTypeId = typeId, machines = names.Select(n => new { name = n, oemName = "Kestrel", model = "KX-210", serialNumber = $"S-{n}" }),
        };

        var first = await t.Operator.PostJsonAsync("/api/v1/fleet/equipment", Batch(plant.LineId, plant.TypeId, "dig-1", "dig-2"), HttpStatusCode.OK);
        Assert.Equal(2, first["created"]!.GetValue<int>());
        var again = await t.Operator.PostJsonAsync("/api/v1/fleet/equipment", new
        {
            lineId = plant.LineId, machineTypeId = plant.TypeId,
            machines = new[] { new { name = "dig-1", oemName = "Kestrel", model = "KX-300", serialNumber = "S-dig-1" }, new { name = "dig-3", oemName = "Harrow", model = "MC-60", serialNumber = "S-dig-3" } },
        }, HttpStatusCode.OK);
        Assert.Equal(1, again["created"]!.GetValue<int>());
        Assert.Equal(1, again["existing"]!.GetValue<int>());
        var dig1 = again["machines"]![0]!["id"]!.GetValue<long>();
        Assert.Equal(first["machines"]![0]!["id"]!.GetValue<long>(), dig1);
        Assert.Equal("KX-300", (await t.Viewer.GetJsonAsync($"/api/v1/machines/{dig1}/equipment"))["model"]!.GetValue<string>());

        // A name twice, a missing serial number, another tenant's line: 400 naming the field, nothing created.
        var twice = await t.Operator.PostJsonAsync("/api/v1/fleet/equipment", Batch(plant.LineId, plant.TypeId, "dig-9", "dig-9"), HttpStatusCode.BadRequest);
        Assert.Contains("given twice", twice.ToJsonString(), StringComparison.Ordinal);
        await t.Operator.PostJsonAsync("/api/v1/fleet/equipment", new { lineId = plant.LineId, machineTypeId = plant.TypeId, machines = new[] { new { name = "dig-8", oemName = "K", model = "M" } } },
            HttpStatusCode.BadRequest);
        var foreign = await t.Operator.PostAsync("/api/v1/fleet/equipment", JsonContent(Batch(theirs.LineId, theirs.TypeId, "dig-7")));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Empty((await t.Viewer.GetJsonAsync("/api/v1/machines?name=dig-7"))["items"]!.AsArray());
        Assert.Empty((await t.Viewer.GetJsonAsync("/api/v1/machines?name=dig-9"))["items"]!.AsArray());

        // The stranger's fleet did not gain A's machines, and a viewer may not enrol.
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Viewer.PostAsync("/api/v1/fleet/equipment", JsonContent(Batch(plant.LineId, plant.TypeId, "dig-6")))).StatusCode);
        Assert.Empty((await FleetAsync(stranger.Viewer))!["Equipment"]?.AsArray() ?? []);
    }

    private static StringContent JsonContent(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonNode?> FleetAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/aemp/Fleet");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    public sealed class OnSqlite(MqttSqliteHost host) : FleetSimulationTests(host), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host) : FleetSimulationTests(host), IClassFixture<MqttPostgresHost>;
}
