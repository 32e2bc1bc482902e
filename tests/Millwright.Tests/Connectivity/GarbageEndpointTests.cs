using System.Net;
using System.Text.Json.Nodes;
using Millwright.Modbus;
using Millwright.Tests.Harness;
using Millwright.Tests.Modbus;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// The Modbus and OPC UA pollers against an endpoint that answers garbage (random bytes, an HTTP answer, a frame cut
/// short by a close): each shows a protocol error on the machine's link with the next attempt, waits longer after
/// each failure (the shared reconnect back-off), keeps trying, and reads the machine once a real server is there.
/// </summary>
public abstract class GarbageEndpointTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(90);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_Modbus_endpoint_that_answers_garbage_is_a_protocol_error_retried_with_growing_waits_until_a_real_server_appears()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var garbage = new GarbageServer(
        [
            RandomBytes(),
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(),
            // An MBAP header announcing a 5-byte PDU, and the close.
            [0, 1, 0, 0, 0, 6, 1],
        ]);
        var port = garbage.Port;
        var path = $"/api/v1/machines/{plant.MachineId}/modbus";
        try
        {
            await t.Operator.PutJsonAsync(path, new
            {
                host = "127.0.0.1", port, intervalMs = 200, timeoutMs = 1000,
                points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "uint16" } },
            }, HttpStatusCode.OK);

            var links = await WatchFailingLinkAsync(t, path, garbage);
            Assert.All(links, l => Assert.StartsWith("ProtocolError: not a Modbus TCP server", l.Detail, StringComparison.Ordinal));
            AssertBackoff(garbage, links);
        }
        finally
        {
            await garbage.DisposeAsync();
        }

        var bank = new ModbusRegisterBank(10, 10, 10, 10);
        bank.SetRegisters(ModbusArea.HoldingRegister, 0, [4321]);
        await using var device = new ModbusTcpServer(bank, new IPEndPoint(IPAddress.Loopback, port));
        device.Start();
        var latest = await LatestAsync(t, plant.MachineId, l => l["connection"]?["online"]?.GetValue<bool>() == true && Power(l) == 4321);
        Assert.Null(latest["connection"]!["nextRetry"]);
    }

    [Fact]
    public async Task An_OPC_UA_endpoint_that_answers_garbage_is_a_protocol_error_retried_with_growing_waits_until_a_real_server_appears()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var garbage = new GarbageServer(
        [
            RandomBytes(),
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(),
            // An Acknowledge header announcing 28 bytes, 4 of them, and the close.
            [.. "ACKF"u8, 28, 0, 0, 0, 0, 0, 0, 0],
        ]);
        var port = garbage.Port;
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";
        try
        {
            await t.Operator.PutJsonAsync(path, new
            {
                endpoint = $"opc.tcp://127.0.0.1:{port}", publishingIntervalMs = 100,
                nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 } },
            }, HttpStatusCode.OK);

            var links = await WatchFailingLinkAsync(t, path, garbage);
            Assert.All(links, l => Assert.StartsWith("protocol error: the answer is not OPC UA binary", l.Detail, StringComparison.Ordinal));
            Assert.Contains(links, l => l.Detail.Contains("BadTcpMessageTypeInvalid", StringComparison.Ordinal));
            Assert.Contains(links, l => l.Detail.Contains("BadDecodingError", StringComparison.Ordinal));
            // The peer's own bytes ("HTT") are not shown to the tenant.
            Assert.DoesNotContain(links, l => l.Detail.Contains("0x", StringComparison.Ordinal));
            AssertBackoff(garbage, links);
        }
        finally
        {
            await garbage.DisposeAsync();
        }

        await using var server = await OpcUaServerPeer.StartAsync(port);
        var latest = await LatestAsync(t, plant.MachineId, l => l["connection"]?["online"]?.GetValue<bool>() == true && Power(l) is > 0);
        Assert.Null(latest["connection"]!["nextRetry"]);
    }

    private sealed record Link(string Detail, DateTimeOffset Since, DateTimeOffset NextRetry);

    /// <summary>Every distinct link state shown until the server has had four attempts and the fourth one's failure is shown.</summary>
    private static async Task<List<Link>> WatchFailingLinkAsync(TestTenant t, string path, GarbageServer garbage)
    {
        var seen = new List<Link>();
        var deadline = DateTimeOffset.UtcNow + Soon;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if ((await t.Viewer.GetJsonAsync(path))["connection"] is JsonObject connection)
            {
                Assert.False(connection["online"]!.GetValue<bool>(), connection.ToJsonString());
                var link = new Link(connection["detail"]!.GetValue<string>(), connection["since"]!.GetValue<DateTimeOffset>(),
                    connection["nextRetry"]?.GetValue<DateTimeOffset>() ?? throw new Xunit.Sdk.XunitException($"no next retry: {connection.ToJsonString()}"));
                if (seen.Count == 0 || seen[^1] != link)
                {
                    seen.Add(link);
                }

                if (garbage.Attempts.Count >= 4 && seen.Count >= 4 && seen[^1].Since > garbage.Attempts[3])
                {
                    return seen;
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{garbage.Attempts.Count} attempts and {seen.Count} link states in {Soon}: {string.Join(" | ", seen)}");
    }

    /// <summary>The waits between attempts grow, and each shown next retry is the shown wait after the failure.</summary>
    private static void AssertBackoff(GarbageServer garbage, List<Link> links)
    {
        var attempts = garbage.Attempts;
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b - a).Take(3).ToList();
        Assert.True(gaps[0] < gaps[1] && gaps[1] < gaps[2], $"gaps between attempts: {string.Join(", ", gaps)}");
        Assert.InRange(gaps[0], TimeSpan.FromSeconds(0.7), TimeSpan.FromSeconds(3));
        foreach (var link in links)
        {
            var wait = double.Parse(System.Text.RegularExpressions.Regex.Match(link.Detail, @"retrying in ([0-9.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange((link.NextRetry - link.Since).TotalSeconds, wait - 0.06, wait + 0.06);
        }
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[64];
        new Random(19).NextBytes(bytes);
        return bytes;
    }

    private static Task<JsonNode> LatestAsync(TestTenant t, long machineId, Func<JsonNode, bool> until) => Eventually.ValueAsync(
        () => t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest"), until, $"latest values of machine {machineId}", Soon);

    private static double? Power(JsonNode latest) =>
        latest["values"]!.AsArray().FirstOrDefault(v => v!["tag"]!.GetValue<string>() == "power")?["value"]!.GetValue<double>();

    public sealed class OnSqlite(ModbusSqliteHost host) : GarbageEndpointTests(host), IClassFixture<ModbusSqliteHost>;

    public sealed class OnPostgres(ModbusPostgresHost host) : GarbageEndpointTests(host), IClassFixture<ModbusPostgresHost>;
}
