using System.Net;
using System.Text.Json.Nodes;
using Millwright.Modbus;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Modbus;

public abstract class ModbusApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_machine_with_a_Modbus_map_is_polled_and_its_values_appear()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        device.Bank.SetValue(new ModbusPoint("spindle_speed", ModbusArea.HoldingRegister, 0, ModbusDataType.Float32), 11500.5);
        device.Bank.SetValue(new ModbusPoint("part_count", ModbusArea.InputRegister, 10, ModbusDataType.UInt32, ModbusWordOrder.WordSwapped), 70000);
        device.Bank.SetValue(new ModbusPoint("temperature", ModbusArea.HoldingRegister, 4, ModbusDataType.Int16), 215);

        var saved = await PutMapAsync(t, plant.MachineId, device,
            new { tag = "spindle_speed", area = "holding", address = 0, dataType = "float32" },
            new { tag = "part_count", area = "input", address = 10, dataType = "uint32", wordOrder = "cdab" },
            new { tag = "temperature", area = "holding", address = 4, dataType = "int16", scale = 0.1 });
        Assert.Equal(3, saved["points"]!.AsArray().Count);

        var latest = await WaitAsync(t, plant.MachineId, l => l["values"]!.AsArray().Count == 3 && l["connection"]?["online"]?.GetValue<bool>() == true);
        double Value(string tag) => latest["values"]!.AsArray().Single(v => v!["tag"]!.GetValue<string>() == tag)!["value"]!.GetValue<double>();
        Assert.Equal(11500.5, Value("spindle_speed"), 3);
        Assert.Equal(70000, Value("part_count"));
        Assert.Equal(21.5, Value("temperature"), 6);
        Assert.Equal("modbus", latest["connection"]!["source"]!.GetValue<string>());
        Assert.Equal(200, (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus"))["intervalMs"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_float_register_holding_NaN_or_infinity_is_shown_as_null_and_not_stored()
    {
        // JSON has no NaN: before, the twin kept the flagged value and every latest-values answer failed mid-response.
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        device.Bank.SetValue(new ModbusPoint("spindle_speed", ModbusArea.HoldingRegister, 0, ModbusDataType.Float32), double.NaN);
        device.Bank.SetValue(new ModbusPoint("part_count", ModbusArea.HoldingRegister, 2, ModbusDataType.Float32), double.PositiveInfinity);
        device.Bank.SetValue(new ModbusPoint("temperature", ModbusArea.HoldingRegister, 4, ModbusDataType.Int16), 215);
        await PutMapAsync(t, plant.MachineId, device,
            new { tag = "spindle_speed", area = "holding", address = 0, dataType = "float32" },
            new { tag = "part_count", area = "holding", address = 2, dataType = "float32" },
            new { tag = "temperature", area = "holding", address = 4, dataType = "int16", scale = 0.1 });

        var latest = await WaitAsync(t, plant.MachineId, l => l["values"]!.AsArray().Count == 3);
        JsonNode? Value(JsonNode answer, string tag) => answer["values"]!.AsArray().Single(v => v!["tag"]!.GetValue<string>() == tag)!["value"];
        Assert.Null(Value(latest, "spindle_speed"));
        Assert.Null(Value(latest, "part_count"));
        Assert.Equal(21.5, Value(latest, "temperature")!.GetValue<double>(), 6);

        var full = await t.Viewer.GetJsonAsync($"/api/v1/latest?machines={plant.MachineId}");
        var machine = full["items"]!.AsArray().Single()!;
        Assert.Null(Value(machine, "spindle_speed"));
        Assert.Equal(21.5, Value(machine, "temperature")!.GetValue<double>(), 6);

        var compact = (await t.Viewer.GetJsonAsync($"/api/v1/latest?machines={plant.MachineId}&format=compact"))!;
        var names = compact["tags"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var entry = compact["machines"]!.AsArray().Single()!;
        var indices = entry["tags"]!.AsArray().Select(n => n!.GetValue<int>()).ToList();
        var values = entry["values"]!.AsArray();
        Assert.Null(values[indices.IndexOf(names.IndexOf("spindle_speed"))]);
        Assert.Equal(21.5, values[indices.IndexOf(names.IndexOf("temperature"))]!.GetValue<double>(), 6);

        // Flagged, not stored: the temperature has a series, the two values JSON cannot hold have none.
        var series = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series")).AsArray().Select(s => s!["tag"]!.GetValue<string>()).ToList();
        Assert.Equal(["temperature"], series);
    }

    [Fact]
    public async Task An_unreachable_device_is_reported_offline()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var closedPort = FreePort();

        await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus", new
        {
            host = "127.0.0.1", port = closedPort, intervalMs = 200, timeoutMs = 200,
            points = new object[] { new { tag = "x", area = "holding", address = 0 } },
        }, HttpStatusCode.OK);

        var latest = await WaitAsync(t, plant.MachineId, l => l["connection"] is JsonObject);
        Assert.False(latest["connection"]!["online"]!.GetValue<bool>());
        Assert.Contains("ConnectionFailed", latest["connection"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"host": "", "points": [{"tag": "a"}]}""", "host")]
    [InlineData("""{"host": "plc", "port": 70000, "points": [{"tag": "a"}]}""", "port")]
    [InlineData("""{"host": "plc", "unitId": 0, "points": [{"tag": "a"}]}""", "unitId")]
    [InlineData("""{"host": "plc", "points": []}""", "points")]
    [InlineData("""{"host": "plc", "points": [{"tag": "a", "area": "eeprom"}]}""", "area")]
    [InlineData("""{"host": "plc", "points": [{"tag": "a", "dataType": "float64"}]}""", "dataType")]
    [InlineData("""{"host": "plc", "points": [{"tag": "a", "address": 1}, {"tag": "a", "address": 3}]}""", "twice")]
    [InlineData("""{"host": "plc", "points": [{"tag": "a", "area": "coil", "dataType": "float32"}]}""", "points")]
    public async Task A_bad_Modbus_map_is_refused_and_nothing_is_stored(string body, string problem)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        using var response = await t.Operator.SendRawAsync(HttpMethod.Put, $"/api/v1/machines/{plant.MachineId}/modbus", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{plant.MachineId}/modbus", null, HttpStatusCode.NotFound, "no Modbus connection");
    }

    [Fact]
    public async Task Removing_the_connection_stops_it_and_viewers_cannot_change_it()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var body = new { host = "plc.local", points = new object[] { new { tag = "a", address = 7 } } };

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{plant.MachineId}/modbus", body, HttpStatusCode.Forbidden, "viewer");
        await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus", body, HttpStatusCode.OK);
        await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}/modbus", HttpStatusCode.NoContent);

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{plant.MachineId}/modbus", null, HttpStatusCode.NotFound, "no Modbus connection");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/machines/{plant.MachineId}/modbus", null, HttpStatusCode.NotFound, "no Modbus connection");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The machine's Modbus map on <paramref name="device"/>, polled every 200 ms.</summary>
    private static Task<JsonNode> PutMapAsync(TestTenant t, long machineId, ModbusTcpServer device, params object[] points) =>
        t.Operator.PutJsonAsync($"/api/v1/machines/{machineId}/modbus", new
        {
            host = "127.0.0.1",
            port = device.LocalEndPoint.Port,
            unitId = 1,
            intervalMs = 200,
            timeoutMs = 500,
            points,
        }, HttpStatusCode.OK);

    /// <summary>Polling runs on its own schedule; wait for the condition with a deadline, not a sleep.</summary>
    private static Task<JsonNode> WaitAsync(TestTenant t, long machineId, Func<JsonNode, bool> done) =>
        Eventually.ValueAsync(() => t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest"), done, "the polled values");

    public sealed class OnSqlite(ModbusSqliteHost host) : ModbusApiTests(host), IClassFixture<ModbusSqliteHost>;

    public sealed class OnPostgres(ModbusPostgresHost host) : ModbusApiTests(host), IClassFixture<ModbusPostgresHost>;
}
