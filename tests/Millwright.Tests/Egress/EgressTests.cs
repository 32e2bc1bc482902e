using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Modbus;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Egress;

/// <summary>The egress policy as tenants meet it: Modbus connections and webhooks, when saved and when connecting.</summary>
public abstract class EgressTests(EgressHost fixture)
{
    private const string Secret = "0123456789abcdef0123";
    private TestHost Host => fixture.Host;

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.178.1", "private")]
    [InlineData("fd12::1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("100.64.1.1", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    public async Task A_forbidden_literal_address_is_refused_for_Modbus_and_webhooks_naming_the_policy(string address, string kind)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

        var modbus = await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{plant.MachineId}/modbus",
            new { host = address, port = 502, points = new object[] { new { tag = "power", address = 0 } } }, HttpStatusCode.BadRequest, "egress policy");
        var webhook = await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks",
            new { name = "hook", url = $"http://{host}:8080/hook", secret = Secret }, HttpStatusCode.BadRequest, "egress policy");

        Assert.Contains($"a {kind} address", modbus["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"a {kind} address", webhook["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{plant.MachineId}/modbus", null, HttpStatusCode.NotFound, "no Modbus connection");
        Assert.Empty((await t.Viewer.GetJsonAsync("/api/v1/webhooks"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("loopback.test")]
    [InlineData("v6loopback.test")]
    [InlineData("mapped.test")]
    [InlineData("metadata.test")]
    [InlineData("private.test")]
    [InlineData("ula.test")]
    public async Task A_Modbus_host_name_that_resolves_to_a_forbidden_address_is_refused_when_the_poller_connects(string name)
    {
        await using var device = StartDevice();
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus", new
        {
            host = name, port = device.LocalEndPoint.Port, intervalMs = 200, timeoutMs = 200,
            points = new object[] { new { tag = "power", address = 0 } },
        }, HttpStatusCode.OK);

        var link = await WaitForLinkAsync(t, plant.MachineId, l => l is JsonObject);
        var detail = link["detail"]!.GetValue<string>();
        Assert.False(link["online"]!.GetValue<bool>());
        Assert.StartsWith("EgressDenied: ", detail, StringComparison.Ordinal);
        Assert.Contains($"'{name}' resolves to no address this tenant may reach", detail, StringComparison.Ordinal);
        Assert.Equal(0, device.RequestsServed);
        Assert.Equal(0, device.ConnectionCount);
    }

    [Fact]
    public async Task A_webhook_host_name_that_resolves_to_a_forbidden_address_is_refused_when_the_delivery_connects()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await AlarmKit.CreateAsync(Host);
        var hook = await kit.Tenant.Admin.PostJsonAsync("/api/v1/webhooks",
            new { name = "sneaky", url = $"http://loopback.test:{receiver.Url.Port}/hook", secret = Secret }, HttpStatusCode.Created);
        await kit.RuleAsync(new { name = "hot", machineTypeId = kit.Plant.TypeId, tag = "power", kind = "threshold", direction = "high", limit = 80, severity = "high", message = "hot" });

        await kit.SendAsync(new { power = 90 });

        var deadline = Stopwatch.StartNew();
        JsonArray deliveries;
        while ((deliveries = (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/webhooks/{hook.Id()}/deliveries")).AsArray()).Count == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "no delivery attempt was recorded");
            await Task.Delay(20);
        }

        var error = deliveries[0]!["error"]!.GetValue<string>();
        Assert.StartsWith("EgressDenied: 'loopback.test' resolves to no address", error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_tenant_rule_opens_loopback_to_that_tenant_and_no_other()
    {
        await using var device = StartDevice();
        device.Bank.SetValue(new ModbusPoint("power", ModbusArea.HoldingRegister, 0, ModbusDataType.UInt16), 42);
        var plantTenant = await fixture.PlantTenantAsync();
        using var other = await Host.CreateTenantAsync();
        var mine = await Plant.CreateAsync(plantTenant);
        var theirs = await Plant.CreateAsync(other);
        var body = new { host = "127.0.0.1", port = device.LocalEndPoint.Port, intervalMs = 200, timeoutMs = 500, points = new object[] { new { tag = "power", address = 0 } } };

        await plantTenant.Operator.PutJsonAsync($"/api/v1/machines/{mine.MachineId}/modbus", body, HttpStatusCode.OK);
        await other.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{theirs.MachineId}/modbus", body, HttpStatusCode.BadRequest, "loopback address, refused by the platform's egress policy");

        var link = await WaitForLinkAsync(plantTenant, mine.MachineId, l => l?["online"]?.GetValue<bool>() == true);
        Assert.Equal("modbus", link["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Modbus_host_that_is_not_a_Modbus_server_is_reported_without_echoing_its_bytes()
    {
        var plantTenant = await fixture.PlantTenantAsync();
        var plant = await Plant.CreateAsync(plantTenant);

        // The platform's own HTTP listener answers the Modbus request with an HTTP error page.
        await plantTenant.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus", new
        {
            host = "127.0.0.1", port = Host.BaseAddress.Port, intervalMs = 200, timeoutMs = 500, points = new object[] { new { tag = "power", address = 0 } },
        }, HttpStatusCode.OK);

        var link = await WaitForLinkAsync(plantTenant, plant.MachineId, l => l?["detail"]?.GetValue<string>().StartsWith("ProtocolError", StringComparison.Ordinal) == true);
        var detail = link["detail"]!.GetValue<string>();
        // The detail goes on with when the poller tries again ("; retrying in N s (attempt K)").
        Assert.StartsWith("ProtocolError: not a Modbus TCP server (its answer broke the Modbus TCP framing); retrying in ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("21584", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP", detail, StringComparison.Ordinal);
    }

    private static ModbusTcpServer StartDevice()
    {
        var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        return device;
    }

    /// <summary>Polling runs on its own schedule; wait for the link state with a deadline, not a sleep.</summary>
    private static async Task<JsonNode> WaitForLinkAsync(TestTenant t, long machineId, Func<JsonNode?, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest");
            if (done(latest["connection"]))
            {
                return latest["connection"]!;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"timed out; last answer: {latest.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public sealed class OnSqlite(EgressSqliteHost host) : EgressTests(host), IClassFixture<EgressSqliteHost>;

    public sealed class OnPostgres(EgressPostgresHost host) : EgressTests(host), IClassFixture<EgressPostgresHost>;
}
