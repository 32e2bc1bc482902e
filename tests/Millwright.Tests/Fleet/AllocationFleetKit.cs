using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>A tenant whose fleet has excavators at named places, each with an allocation profile and a reported location.</summary>
internal sealed class AllocationFleetKit : IDisposable
{
    public static readonly (string Name, double Lat, double Lon)[] Places = [("berlin", 52.52, 13.405), ("munich", 48.137, 11.575), ("hamburg", 53.55, 10.0), ("paris", 48.857, 2.352)];

    private readonly List<FleetPositionsTests.Device> _devices = [];

    private AllocationFleetKit(FleetKit kit) => Kit = kit;

    public FleetKit Kit { get; }

    public TestTenant Tenant => Kit.Tenant;

    public HttpClient Operator => Kit.Tenant.Operator;

    /// <summary>Machine id by place name.</summary>
    public Dictionary<string, long> Machines { get; } = [];

    /// <param name="operators">How many operators licensed for excavators through 2027 to add (by default one per machine).</param>
    public static async Task<AllocationFleetKit> CreateAsync(TestHost host, int machines = 4, string serial = "EX-0001", int? operators = null)
    {
        var fleet = new AllocationFleetKit(await FleetKit.CreateAsync(host, serial));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        for (var i = 0; i < machines; i++)
        {
            var (name, lat, lon) = Places[i];
            long id;
            if (i == 0)
            {
                id = fleet.Kit.MachineId;
                await fleet.Kit.SendAsync(now, new { latitude = lat, longitude = lon });
            }
            else
            {
                var device = await FleetPositionsTests.AddMachineAsync(fleet.Kit, $"exc-{name}");
                fleet._devices.Add(device);
                id = device.Id;
                await fleet.Operator.PutJsonAsync($"/api/v1/machines/{id}/equipment", new { oemName = "Millwright Heavy", model = "MX-250", serialNumber = $"{serial}-{name}" }, HttpStatusCode.OK);
                await device.SendAsync(now, new { latitude = lat, longitude = lon });
            }

            await fleet.Operator.PutJsonAsync($"/api/v1/machines/{id}/allocation-profile", new { category = "excavator", capabilities = new { bucket_m3 = 2.0 }, dailyRate = 250.0 },
                HttpStatusCode.OK);
            fleet.Machines[name] = id;
        }

        for (var i = 1; i <= (operators ?? machines); i++)
        {
            await fleet.Operator.PostJsonAsync("/api/v1/fleet/operators", Driver($"driver-{i}"), HttpStatusCode.Created);
        }

        return fleet;
    }

    public static object Request(string site, double lat, double lon, string from = "2027-03-01T00:00:00Z", string to = "2027-03-04T00:00:00Z", double bucket = 1.0) =>
        new { site, category = "excavator", minCapabilities = new { bucket_m3 = bucket }, latitude = lat, longitude = lon, from, to };

    public static object Driver(string name, string validTo = "2028-01-01T00:00:00Z", params object[] unavailable) =>
        new { name, licences = new[] { new { category = "excavator", validFrom = "2027-01-01T00:00:00Z", validTo } }, unavailable };

    public async Task<long> RequestAsync(string site, double lat, double lon, string from = "2027-03-01T00:00:00Z", string to = "2027-03-04T00:00:00Z") =>
        (await Operator.PostJsonAsync("/api/v1/fleet/site-requests", Request(site, lat, lon, from, to), HttpStatusCode.Created)).Id();

    public async Task<JsonNode> PlanAsync(object body) => await Operator.PostJsonAsync("/api/v1/fleet/allocation-plans", body, HttpStatusCode.Created);

    /// <summary>Request id → machine id of a plan.</summary>
    public static Dictionary<long, long> Assignments(JsonNode plan) =>
        plan["assignments"]!.AsArray().ToDictionary(a => a!["requestId"]!.GetValue<long>(), a => a!["machineId"]!.GetValue<long>());

    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.Dispose();
        }

        Kit.Dispose();
    }
}
