using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>GET /api/v1/fleet/positions, the fleet screen's data: positioned machines as columns and the active faults.</summary>
public abstract class FleetPositionsTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Positions_list_each_positioned_machine_with_its_state_and_the_active_faults_of_the_callers_tenant_only()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var stranger = await FleetKit.CreateAsync(Host, serial: "STRANGER-1");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await kit.SendAsync(now - 60_000, new { latitude = 52.52, longitude = 13.40, fault_code = 523, fault_fmi = 4, fault_severity = 2 });
        using var quiet = await AddMachineAsync(kit, "exc-quiet");
        await stranger.SendAsync(now - 60_000, new { latitude = 48.1, longitude = 11.6 });

        var positions = await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/positions");
        Assert.Equal([kit.MachineId], positions["ids"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal([kit.Name], positions["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(52.52, positions["latitude"]![0]!.GetValue<double>(), 9);
        Assert.Equal(13.40, positions["longitude"]![0]!.GetValue<double>(), 9);
        Assert.Equal(now - 60_000, positions["reportedAt"]![0]!.GetValue<long>());
        Assert.Single(positions["states"]!.AsArray());
        var fault = Assert.Single(positions["faults"]!.AsArray())!;
        Assert.Equal(kit.MachineId, fault["machineId"]!.GetValue<long>());
        Assert.Equal("523/4", fault["code"]!.GetValue<string>());
        Assert.Equal(2, fault["severity"]!.GetValue<int>());

        // The quiet machine joins when it reports a position; a cleared fault leaves the list.
        await quiet.SendAsync(now - 30_000, new { latitude = 52.53, longitude = 13.41 });
        await kit.SendAsync(now - 20_000, new { fault_code = 0 });
        positions = await kit.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/positions");
        Assert.Equal(2, positions["ids"]!.AsArray().Count);
        Assert.Empty(positions["faults"]!.AsArray());

        // The other tenant sees only its own machine.
        var theirs = await stranger.Tenant.Viewer.GetJsonAsync("/api/v1/fleet/positions");
        Assert.Equal([stranger.MachineId], theirs["ids"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.DoesNotContain(kit.Name, theirs.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Another machine of the kit's type on its line, with its own device credential.</summary>
    internal static async Task<Device> AddMachineAsync(FleetKit kit, string name)
    {
        var op = kit.Tenant.Operator;
        var machine = await op.PostJsonAsync("/api/v1/machines", new { lineId = kit.LineId, typeId = kit.TypeId, name }, HttpStatusCode.Created);
        var credential = await op.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        return new Device(machine.Id(), credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), kit.Device.BaseAddress!);
    }

    /// <summary>A machine's HTTP telemetry client.</summary>
    internal sealed class Device : IDisposable
    {
        private readonly HttpClient _client;

        public Device(long id, string user, string secret, Uri baseAddress)
        {
            Id = id;
            _client = new HttpClient { BaseAddress = baseAddress };
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        }

        public long Id { get; }

        public async Task SendAsync(long ts, object values)
        {
            using var response = await _client.PostAsync("/api/v1/telemetry", new StringContent(JsonSerializer.Serialize(new { ts, values }), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        public void Dispose() => _client.Dispose();
    }

    public sealed class OnSqlite(SqliteHost host) : FleetPositionsTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : FleetPositionsTests(host), IClassFixture<PostgresHost>;
}
