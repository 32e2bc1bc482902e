using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Modbus;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Energy;

/// <summary>
/// Energy from real ingest on a clock moved by hand: a CNC measured by a separate Wh meter whose register wraps, and a
/// press measured by its own kWh counter that is reset, on one line. Every figure is worked out by hand below.
/// </summary>
public abstract class EnergyApiTests(ClockedHost fixture)
{
    private const long Minute = 60_000;

    private TestHost Host => fixture.Host;

    private sealed record Scene(long LineId, long Cnc, long Press, long Meter, long T0);

    private static double D(JsonNode? n) => n!.GetValue<double>();

    [Fact]
    public async Task Energy_per_machine_and_line_counts_wraps_resets_standby_demand_peaks_and_good_units()
    {
        using var t = await Host.CreateTenantAsync();
        var scene = await PlayAsync(t);
        var range = $"from={scene.T0}&to={scene.T0 + 30 * Minute}";

        var line = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync($"/api/v1/energy?line={scene.LineId}&{range}"),
            r => D(r["total"]!["kwh"]) == 20 && D(r["total"]!["standbyKwh"]) == 4 && D(Machine(r, scene.Cnc)["figures"]!["goodUnits"]) == 8,
            "the line's 20 kWh, 4 of them on standby, and the CNC's counted parts (they come through the state tracker, after the meter's kWh)");

        // CNC: 95,000 → 99,000 Wh (+4 kWh), → 3,000 across the 100,000 wrap (+4), then idle from minute 12: → 4,000 (+1).
        var cnc = Machine(line, scene.Cnc);
        Assert.Equal(scene.Meter, cnc["meterMachineId"]!.GetValue<long>());
        Assert.Equal(9, D(cnc["figures"]!["kwh"]), 9);
        Assert.Equal(8, D(cnc["figures"]!["productiveKwh"]), 9);
        Assert.Equal(1, D(cnc["figures"]!["standbyKwh"]), 9);
        Assert.Equal(8, D(cnc["figures"]!["goodUnits"]));                      // 10 parts, 2 scrapped
        Assert.Equal(9.0 / 8, D(cnc["figures"]!["kwhPerGoodUnit"]), 9);
        Assert.Equal(8.0 / 9, D(cnc["figures"]!["energyUtilization"]), 9);
        Assert.Equal(8 * 4, D(cnc["figures"]!["peakDemandKw"]), 9);            // 8 kWh in the first quarter hour
        // Press, by its own counter: 100 → 106 (+6), reset to 2 (+2), idle from minute 17, → 5 (+3). No part counter.
        var press = Machine(line, scene.Press);
        Assert.Equal(scene.Press, press["meterMachineId"]!.GetValue<long>());
        Assert.Equal(11, D(press["figures"]!["kwh"]), 9);
        Assert.Equal(3, D(press["figures"]!["standbyKwh"]), 9);
        Assert.Null(press["figures"]!["kwhPerGoodUnit"]);
        Assert.Equal(6 * 4, D(press["figures"]!["peakDemandKw"]), 9);
        // The meter measures nothing of its own.
        Assert.Null(Machine(line, scene.Meter)["meterMachineId"]);

        // The line: the machines' quarter hours added before the peak is taken (14 kWh, then 6).
        var total = line["total"]!;
        Assert.Equal(16, D(total["productiveKwh"]), 9);
        Assert.Equal(0.8, D(total["energyUtilization"]), 9);
        Assert.Equal(2.5, D(total["kwhPerGoodUnit"]), 9);
        Assert.Equal(56, D(total["peakDemandKw"]), 9);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(scene.T0), total["peakAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal([56.0, 24.0], line["demand"]!.AsArray().Select(d => D(d!["kw"])));

        // The machine scope and the CSV say the same.
        var one = await t.Viewer.GetJsonAsync($"/api/v1/energy?machine={scene.Cnc}&{range}");
        Assert.Equal(9, D(one["total"]!["kwh"]), 9);
        using var response = await t.Viewer.GetAsync(new Uri($"/api/v1/energy.csv?line={scene.LineId}&{range}", UriKind.Relative));
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var rows = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.StartsWith("machine_id,machine,meter_machine_id,counter_tag,kwh,", rows[0], StringComparison.Ordinal);
        Assert.StartsWith($"{scene.Cnc},", rows.Single(r => r.StartsWith($"{scene.Cnc},", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(",9,8,1,0,0,0,32,", rows.Single(r => r.StartsWith($"{scene.Cnc},", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith(",\"total\",,,20,16,4,", rows[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meters_are_kept_per_tenant_and_bad_ones_are_refused_with_the_reason()
    {
        using var t = await Host.CreateTenantAsync();
        using var other = await Host.CreateTenantAsync();
        var mine = await Plant.CreateAsync(t);
        var theirs = await Plant.CreateAsync(other);
        var path = $"/api/v1/machines/{mine.MachineId}/energy-meter";

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { counterTag = "", unit = "J" }, HttpStatusCode.BadRequest, "counterTag");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { meterMachineId = theirs.MachineId, counterTag = "energy" }, HttpStatusCode.BadRequest,
            $"there is no machine with id {theirs.MachineId}");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "has no energy meter");
        var put = await t.Operator.PutJsonAsync(path, new { counterTag = "energy", unit = "Wh" }, HttpStatusCode.OK);
        Assert.Equal(mine.MachineId, put["meterMachineId"]!.GetValue<long>());
        Assert.Equal("Wh", (await t.Viewer.GetJsonAsync(path))["unit"]!.GetValue<string>());

        // Another tenant neither reads, changes nor reports on it; a viewer may not change it.
        await other.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "machine");
        await other.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { counterTag = "x" }, HttpStatusCode.NotFound, "machine");
        await other.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/energy?line={mine.LineId}", null, HttpStatusCode.NotFound, "line");
        using var refused = await t.Viewer.PutAsync(new Uri(path, UriKind.Relative), JsonContent.Create(new { counterTag = "energy" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/energy?line={mine.LineId}&site={mine.SiteId}", null, HttpStatusCode.BadRequest, "at most one");

        await t.Operator.DeleteAsync(path, HttpStatusCode.NoContent);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.NotFound, "has no energy meter");
    }

    [Fact]
    public async Task A_Modbus_meter_connected_by_its_template_measures_another_machine()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} sdm meter",
            tags = new object[]
            {
                new { name = "voltage", unit = "V" }, new { name = "current", unit = "A" }, new { name = "power", unit = "kW" },
                new { name = "power_factor" }, new { name = "frequency", unit = "Hz" }, new { name = "energy", unit = "kWh", kind = "counter" },
            },
        }, HttpStatusCode.Created);
        var meter = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-meter" }, HttpStatusCode.Created);
        var bank = new ModbusRegisterBank(coils: 0, discreteInputs: 0, inputRegisters: 128, holdingRegisters: 0);
        foreach (var (tag, value) in new[] { ("voltage", 230.0), ("current", 10.0), ("power", 2.3), ("power_factor", 0.95), ("frequency", 50.0), ("energy", 1000.0) })
        {
            bank.SetValue(PowerMeterMap.FloatRegisters.Single(p => p.Tag == tag), value);
        }

        await using var server = new ModbusTcpServer(bank, new IPEndPoint(IPAddress.Loopback, 0));
        server.Start();
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{meter.Id()}/modbus",
            new { host = "127.0.0.1", port = server.LocalEndPoint.Port, template = "power-meter", points = new object[] { new { tag = "energy", address = 0 } } },
            HttpStatusCode.BadRequest, "either points or a template");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{meter.Id()}/modbus",
            new { host = "127.0.0.1", port = server.LocalEndPoint.Port, template = "sdm" }, HttpStatusCode.BadRequest, "power-meter");
        var start = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var connection = await t.Operator.PutJsonAsync($"/api/v1/machines/{meter.Id()}/modbus",
            new { host = "127.0.0.1", port = server.LocalEndPoint.Port, template = "power-meter" }, HttpStatusCode.OK);
        Assert.Equal(72, connection["points"]!.AsArray().Single(p => p!["tag"]!.GetValue<string>() == "energy")!["address"]!.GetValue<int>());
        await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/energy-meter", new { meterMachineId = meter.Id(), counterTag = "energy" }, HttpStatusCode.OK);

        var points = $"/api/v1/machines/{meter.Id()}/series/energy/points?from={start - Minute}&to={start + 10 * Minute}";
        await Eventually.TrueAsync(async () => (await t.Viewer.GetAsync(new Uri(points, UriKind.Relative))).IsSuccessStatusCode, "the meter's first poll");
        bank.SetValue(PowerMeterMap.FloatRegisters.Single(p => p.Tag == "energy"), 1002.5);
        // The poller waits its interval on the app's clock: each look moves the clock on, so a poll is due whenever it looks.
        await Eventually.ValueAsync(() =>
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(2));
            return t.Viewer.GetJsonAsync(points);
        }, p => p["points"]!.AsArray().Any(x => x!["value"]!.GetValue<double>() == 1002.5), "the meter's next poll");

        var report = await t.Viewer.GetJsonAsync($"/api/v1/energy?machine={plant.MachineId}&from={start - Minute}&to={start + 10 * Minute}");
        Assert.Equal(2.5, D(report["total"]!["kwh"]), 9);
        Assert.Equal(meter.Id(), report["machines"]![0]!["meterMachineId"]!.GetValue<long>());
    }

    private static JsonNode Machine(JsonNode report, long id) => report["machines"]!.AsArray().Single(m => m!["machineId"]!.GetValue<long>() == id)!;

    private async Task<Scene> PlayAsync(TestTenant t)
    {
        var plant = await Plant.CreateAsync(t);
        var ops = t.Operator;
        var cncType = await ops.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} cnc",
            tags = new object[] { new { name = "power", unit = "kW" }, new { name = "part_count", dataType = "int", kind = "counter" }, new { name = "scrap_count", dataType = "int", kind = "counter" } },
        }, HttpStatusCode.Created);
        await ops.PutJsonAsync($"/api/v1/machine-types/{cncType.Id()}/state-rules", new
        {
            rules = new object[] { new { state = "running", when = "power > 5" } }, offlineAfterSeconds = 86_400, partCounter = "part_count", scrapCounter = "scrap_count",
        }, HttpStatusCode.OK);
        var pressType = await ops.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} press",
            tags = new object[] { new { name = "power", unit = "kW" }, new { name = "energy", unit = "kWh", kind = "counter" } },
        }, HttpStatusCode.Created);
        await ops.PutJsonAsync($"/api/v1/machine-types/{pressType.Id()}/state-rules", new
        {
            rules = new object[] { new { state = "running", when = "power > 1" } }, offlineAfterSeconds = 86_400, energyCounter = "energy",
        }, HttpStatusCode.OK);
        // A meter with a five-digit Wh register: it rolls over at 100,000 Wh.
        var meterType = await ops.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} meter",
            tags = new object[] { new { name = "energy_wh", unit = "Wh", dataType = "int", kind = "counter", wrap = 100_000 } },
        }, HttpStatusCode.Created);
        async Task<(long Id, HttpClient Device)> MachineAsync(string name, long type)
        {
            var machine = await ops.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type, name = $"{plant.Marker}-energy-{name}" }, HttpStatusCode.Created);
            var credential = await ops.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
            var device = new HttpClient { BaseAddress = Host.BaseAddress };
            var basic = $"{credential["username"]!.GetValue<string>()}:{credential["secret"]!.GetValue<string>()}";
            device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
            return (machine.Id(), device);
        }

        var (cnc, cncDevice) = await MachineAsync("cnc", cncType.Id());
        var (press, pressDevice) = await MachineAsync("press", pressType.Id());
        var (meter, meterDevice) = await MachineAsync("meter", meterType.Id());
        await ops.PutJsonAsync($"/api/v1/machines/{cnc}/energy-meter", new { meterMachineId = meter, counterTag = "energy_wh", unit = "Wh" }, HttpStatusCode.OK);

        // The next quarter hour after the shared clock (other tests of the class may have moved it).
        var now = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var t0 = (now / (15 * Minute) + 1) * (15 * Minute);
        async Task Send(HttpClient device, int minute, object values)
        {
            var at = t0 + minute * Minute;
            if (fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds() < at)
            {
                fixture.Clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(at);
            }

            using var response = await device.PostAsync(new Uri("/api/v1/telemetry", UriKind.Relative), JsonContent.Create(new { ts = at, values }));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await Send(cncDevice, 0, new { power = 20, part_count = 0, scrap_count = 0 });
        await Send(pressDevice, 0, new { power = 10, energy = 100 });
        await Send(meterDevice, 0, new { energy_wh = 95_000 });
        await Send(meterDevice, 5, new { energy_wh = 99_000 });
        await Send(pressDevice, 7, new { energy = 106 });
        await Send(meterDevice, 10, new { energy_wh = 3_000 });
        await Send(cncDevice, 10, new { part_count = 10, scrap_count = 2 });
        await Send(cncDevice, 12, new { power = 0 });
        await Send(pressDevice, 16, new { energy = 2 });
        await Send(pressDevice, 17, new { power = 0 });
        await Send(meterDevice, 20, new { energy_wh = 4_000 });
        await Send(pressDevice, 22, new { energy = 5 });
        return new Scene(plant.LineId, cnc, press, meter, t0);
    }

    public sealed class OnSqlite(ClockedSqliteHost host) : EnergyApiTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : EnergyApiTests(host), IClassFixture<ClockedPostgresHost>;
}
