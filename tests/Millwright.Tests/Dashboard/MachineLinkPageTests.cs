using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Millwright.Modbus;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The machine page's link panel in headless Chromium: an OPC UA machine whose server works (connected, each mapped
/// node's status, the refused one named), one whose endpoint fails (offline, the reason, a countdown to the next
/// attempt and its number, as the back-off has them), and a Modbus machine of each kind with its poller's state.
/// </summary>
public abstract partial class MachineLinkPageTests(BrowserHost fixture)
{
    [Fact]
    public async Task The_machine_page_shows_the_link_state_the_OPC_UA_node_statuses_and_the_Modbus_poller_for_working_and_failing_endpoints()
    {
        using var t = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var failingOpcUa = await MachineAsync(t, plant, "opcua-down");
        var workingModbus = await MachineAsync(t, plant, "modbus-up");
        var failingModbus = await MachineAsync(t, plant, "modbus-down");
        await using var server = await OpcUaServerPeer.StartAsync();
        var bank = new ModbusRegisterBank(10, 10, 10, 10);
        bank.SetRegisters(ModbusArea.HoldingRegister, 0, [42]);
        await using var device = new ModbusTcpServer(bank, new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();

        await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua", new
        {
            endpoint = server.Endpoint, publishingIntervalMs = 100,
            nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 }, new { nodeId = "ns=2;s=Nothing", tag = "ghost" } },
        }, HttpStatusCode.OK);
        await t.Operator.PutJsonAsync($"/api/v1/machines/{failingOpcUa}/opcua", new
        {
            endpoint = $"opc.tcp://127.0.0.1:{ClosedPort()}", nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power" } },
        }, HttpStatusCode.OK);
        await t.Operator.PutJsonAsync($"/api/v1/machines/{workingModbus}/modbus", new
        {
            host = "127.0.0.1", port = device.LocalEndPoint.Port, intervalMs = 200, timeoutMs = 1000,
            points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "uint16" } },
        }, HttpStatusCode.OK);
        await t.Operator.PutJsonAsync($"/api/v1/machines/{failingModbus}/modbus", new
        {
            host = "127.0.0.1", port = ClosedPort(), intervalMs = 200, timeoutMs = 1000,
            points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "uint16" } },
        }, HttpStatusCode.OK);

        var page = await fixture.SignedInPageAsync(t.ViewerKey, $"#/machine/{plant.MachineId}");
        var link = page.Locator("#machine-link[data-online=true][data-source=opcua]");
        await link.WaitForAsync();
        Assert.Matches(@"^Connected \(OPC UA\) since ", await link.Locator(".link-state").InnerTextAsync());
        await Assertions.Expect(link.Locator("tr[data-tag=power] td.status")).ToHaveTextAsync("Good");
        Assert.Equal("ns=2;s=Counter", await link.Locator("tr[data-tag=power] td:nth-child(3)").InnerTextAsync());
        Assert.Equal("BadNodeIdUnknown", await link.Locator("tr[data-tag=ghost] td.status").InnerTextAsync());
        Assert.Equal("Note: nodes refused by the server: ns=2;s=Nothing: BadNodeIdUnknown", await link.Locator(".link-reason").InnerTextAsync());
        Assert.Contains(server.Endpoint, await link.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "machine-link-opcua");

        // The failing OPC UA machine: offline with the reason and a countdown; the attempt number grows as it keeps trying.
        await page.EvaluateAsync($"location.hash = '#/machine/{failingOpcUa}'");
        var down = page.Locator($".machine[data-machine='{failingOpcUa}'] #machine-link[data-online=false][data-source=opcua]");
        await down.WaitForAsync();
        var rest = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{failingOpcUa}/opcua"))["connection"]!;
        var reason = rest["detail"]!.GetValue<string>()[..rest["detail"]!.GetValue<string>().IndexOf("; retrying in", StringComparison.Ordinal)];
        Assert.Equal($"Reason: {reason}", await down.Locator(".link-reason").InnerTextAsync());
        Assert.Matches(RetryHeadline("OPC UA"), await down.Locator(".link-state").InnerTextAsync());
        await Assertions.Expect(down.Locator(".link-state")).ToHaveTextAsync(ThirdAttemptOrLater(), new() { Timeout = 30_000 });
        Assert.Equal("No node statuses yet: the machine has not had a session.", await down.Locator(".empty").InnerTextAsync());
        await BrowserHost.ScreenshotAsync(page, "machine-link-opcua-down");

        await page.EvaluateAsync($"location.hash = '#/machine/{workingModbus}'");
        var polling = page.Locator($".machine[data-machine='{workingModbus}'] #machine-link[data-online=true][data-source=modbus]");
        await polling.WaitForAsync();
        Assert.StartsWith($"Poller: polling · 127.0.0.1:{device.LocalEndPoint.Port} unit 1 · every 200 ms, timeout 1000 ms · 1 registers",
            await polling.Locator(".poller").InnerTextAsync(), StringComparison.Ordinal);

        await page.EvaluateAsync($"location.hash = '#/machine/{failingModbus}'");
        var notPolling = page.Locator($".machine[data-machine='{failingModbus}'] #machine-link[data-online=false][data-source=modbus]");
        await notPolling.WaitForAsync();
        Assert.Equal("ConnectionFailed", await notPolling.Locator(".poller").GetAttributeAsync("data-poller"));
        Assert.Matches(RetryHeadline("Modbus TCP"), await notPolling.Locator(".link-state").InnerTextAsync());
        Assert.StartsWith("Reason: ConnectionFailed: ", await notPolling.Locator(".link-reason").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "machine-link-modbus-down");
        Assert.Empty(fixture.Errors);
    }

    [GeneratedRegex(@"attempt ([3-9]|\d{2,})$")]
    private static partial Regex ThirdAttemptOrLater();

    private static Regex RetryHeadline(string protocol) => new($@"^Offline \({Regex.Escape(protocol)}\) since .+ · retrying (in \d+ s|now), attempt \d+$");

    private static async Task<long> MachineAsync(TestTenant t, Plant plant, string name) =>
        (await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-{name}" }, HttpStatusCode.Created)).Id();

    /// <summary>A loopback port nothing listens on (taken and given back).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class OnSqlite(BrowserLinkSqliteHost fixture) : MachineLinkPageTests(fixture), IClassFixture<BrowserLinkSqliteHost>;

    public sealed class OnPostgres(BrowserLinkPostgresHost fixture) : MachineLinkPageTests(fixture), IClassFixture<BrowserLinkPostgresHost>;
}
