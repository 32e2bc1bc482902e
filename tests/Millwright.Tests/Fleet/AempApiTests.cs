using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

public abstract class AempApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static readonly XNamespace Iso = FleetKit.Iso;

    /// <summary>
    /// The snapshot elements of ISO 15143-3 and their children, written here from the standard's description
    /// (not from the platform's catalog), so that the test checks the output against the standard.
    /// </summary>
    private static readonly Dictionary<string, string[]> StandardElements = new()
    {
        ["Location"] = ["Latitude", "Longitude", "Altitude", "AltitudeUnits"],
        ["CumulativeIdleHours"] = ["Hour"],
        ["CumulativeOperatingHours"] = ["Hour"],
        ["Distance"] = ["OdometerUnits", "Odometer"],
        ["EngineStatus"] = ["Running"],
        ["FuelUsed"] = ["FuelUnits", "FuelConsumed"],
        ["FuelUsedLast24"] = ["FuelUnits", "FuelConsumed"],
        ["FuelRemaining"] = ["Percent"],
        ["DEFRemaining"] = ["Percent"],
        ["CumulativeLoadCount"] = ["Count"],
        ["CumulativePayloadTotals"] = ["PayloadUnits", "Payload"],
        ["AverageLoadFactorLast24"] = ["Percent"],
        ["CumulativePowerTakeOffHours"] = ["Hour"],
    };

    private static readonly string[] HeaderFields = ["OEMName", "Model", "EquipmentID", "SerialNumber", "PIN"];

    private static long Hours(double h) => (long)TimeSpan.FromHours(h).TotalMilliseconds;

    /// <summary>Three reports: 30 h ago (outside the last-24-h window), 20 h ago and 2 h ago (the latest).</summary>
    private static async Task<long> ReportAsync(FleetKit kit)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;
        await kit.SendAsync(now - Hours(30), new { fuel_used = 1000.0, load_factor = 90.0, engine_hours = 100.0 });
        await kit.SendAsync(now - Hours(20), new { fuel_used = 1100.0, load_factor = 40.0, engine_hours = 110.0 });
        var latest = now - Hours(2);
        await kit.SendAsync(latest, new
        {
            latitude = 52.5, longitude = 13.4, altitude = 34.0, engine_hours = 120.5, idle_hours = 20.25, odometer = 310.5, engine_running = true,
            fuel_used = 1250.0, fuel_level = 62.5, def_level = 80.0, load_count = 415.0, payload_total = 8300.5, load_factor = 60.0, pto_hours = 3.5,
        });
        return latest;
    }

    [Fact]
    public async Task The_xml_snapshot_has_every_element_of_the_standard_in_its_namespace_with_the_machines_values()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var latest = await ReportAsync(kit);

        var doc = await FleetKit.XmlAsync(kit.Tenant.Viewer, "/api/v1/aemp/Fleet/1");

        var root = doc.Root!;
        Assert.Equal(Iso + "Fleet", root.Name);
        Assert.Equal("1", root.Attribute("version")!.Value);
        Assert.True(DateTimeOffset.TryParse(root.Attribute("snapshotTime")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Equal(["self", "first", "last"], root.Elements(Iso + "Links").Select(l => l.Element(Iso + "rel")!.Value));
        var equipment = Assert.Single(root.Elements(Iso + "Equipment"));
        var header = equipment.Element(Iso + "EquipmentHeader")!;
        Assert.Equal(HeaderFields, header.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["Millwright Heavy", "MX-250", kit.Name, "EX-0001"], header.Elements().Take(4).Select(e => e.Value));

        var elements = equipment.Elements().Skip(1).ToList();
        Assert.All(elements, e => Assert.Equal(Iso, e.Name.Namespace));
        Assert.Equal(StandardElements.Keys.Order(), elements.Select(e => e.Name.LocalName).Order());
        foreach (var element in elements)
        {
            Assert.Equal(StandardElements[element.Name.LocalName], element.Elements().Select(c => c.Name.LocalName));
            Assert.Equal(latest, DateTimeOffset.Parse(element.Attribute("datetime")!.Value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        }

        double Number(string element, string child) =>
            double.Parse(equipment.Element(Iso + element)!.Element(Iso + child)!.Value, CultureInfo.InvariantCulture);
        Assert.Equal(52.5, Number("Location", "Latitude"));
        Assert.Equal(13.4, Number("Location", "Longitude"));
        Assert.Equal(120.5, Number("CumulativeOperatingHours", "Hour"));
        Assert.Equal(20.25, Number("CumulativeIdleHours", "Hour"));
        Assert.Equal(310.5, Number("Distance", "Odometer"));
        Assert.Equal("true", equipment.Element(Iso + "EngineStatus")!.Element(Iso + "Running")!.Value);
        Assert.Equal(1250, Number("FuelUsed", "FuelConsumed"));
        Assert.Equal("litre", equipment.Element(Iso + "FuelUsed")!.Element(Iso + "FuelUnits")!.Value);
        // 24 h before the latest report: the points of 20 h and 2 h ago, so 1,250 − 1,100; the 30-h-old point is out.
        Assert.Equal(150, Number("FuelUsedLast24", "FuelConsumed"));
        Assert.Equal(50, Number("AverageLoadFactorLast24", "Percent"));
        Assert.Equal(62.5, Number("FuelRemaining", "Percent"));
        Assert.Equal(80, Number("DEFRemaining", "Percent"));
        Assert.Equal(415, Number("CumulativeLoadCount", "Count"));
        Assert.Equal(8300.5, Number("CumulativePayloadTotals", "Payload"));
        Assert.Equal(3.5, Number("CumulativePowerTakeOffHours", "Hour"));
    }

    [Fact]
    public async Task The_json_snapshot_carries_the_same_elements_as_typed_values()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var latest = await ReportAsync(kit);

        var doc = await FleetKit.JsonAsync(kit.Tenant.Viewer, "/api/v1/aemp/Fleet");
        var single = await FleetKit.JsonAsync(kit.Tenant.Viewer, $"/api/v1/aemp/Fleet/Equipment/ID/{kit.MachineId}");

        Assert.Equal(1, doc["version"]!.GetValue<int>());
        var equipment = Assert.Single(doc["Equipment"]!.AsArray())!.AsObject();
        Assert.Equal(Assert.Single(single["Equipment"]!.AsArray())!.ToJsonString(), equipment.ToJsonString());
        Assert.Equal(kit.Name, equipment["EquipmentHeader"]!["EquipmentID"]!.GetValue<string>());
        Assert.Equal(StandardElements.Keys.Order(), equipment.Select(p => p.Key).Where(k => k != "EquipmentHeader").Order());
        foreach (var (name, children) in StandardElements)
        {
            var element = equipment[name]!.AsObject();
            Assert.Equal(["datetime", .. children], element.Select(p => p.Key));
            Assert.Equal(latest, DateTimeOffset.Parse(element["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        }

        Assert.True(equipment["EngineStatus"]!["Running"]!.GetValue<bool>());
        Assert.Equal(52.5, equipment["Location"]!["Latitude"]!.GetValue<double>());
        Assert.Equal("metre", equipment["Location"]!["AltitudeUnits"]!.GetValue<string>());
        Assert.Equal(150, equipment["FuelUsedLast24"]!["FuelConsumed"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_time_series_is_paged_with_the_standards_links_and_filtered_by_time()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000 - Hours(10);
        await kit.SendManyAsync(Enumerable.Range(0, 250).Select(i => (start + i * 60_000L, (object)new { engine_hours = 100.0 + i })));
        var (from, to) = (FleetKit.Time(start), FleetKit.Time(start + Hours(5)));
        var prefix = $"/api/v1/aemp/Fleet/Equipment/ID/{kit.MachineId}/CumulativeOperatingHours/{from}/{to}/";

        var first = (await FleetKit.XmlAsync(kit.Tenant.Viewer, prefix + 1)).Root!;
        var third = (await FleetKit.XmlAsync(kit.Tenant.Viewer, prefix + 3)).Root!;
        var second = await FleetKit.JsonAsync(kit.Tenant.Viewer, prefix + 2);

        Assert.Equal(Iso + "CumulativeOperatingHoursMessages", first.Name);
        var links = first.Elements(Iso + "Links").ToDictionary(l => l.Element(Iso + "rel")!.Value, l => new Uri(l.Element(Iso + "href")!.Value).AbsolutePath);
        Assert.Equal(["self", "first", "next", "last"], links.Keys);
        Assert.EndsWith("/1", links["self"], StringComparison.Ordinal);
        Assert.EndsWith("/2", links["next"], StringComparison.Ordinal);
        Assert.EndsWith("/3", links["last"], StringComparison.Ordinal);
        var hours = first.Elements(Iso + "CumulativeOperatingHours").Select(e => double.Parse(e.Element(Iso + "Hour")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 100.0 + i), hours);
        Assert.Equal(50, third.Elements(Iso + "CumulativeOperatingHours").Count());
        Assert.Equal(["self", "first", "prev", "last"], third.Elements(Iso + "Links").Select(l => l.Element(Iso + "rel")!.Value));
        // Following "next" from the JSON page reaches the third page.
        var next = second["Links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "next")!["href"]!.GetValue<string>();
        Assert.Equal(new Uri(next).AbsolutePath, new Uri(kit.Tenant.Viewer.BaseAddress!, prefix + 3).AbsolutePath);
        Assert.Equal(Enumerable.Range(100, 100).Select(i => 100.0 + i), second["CumulativeOperatingHours"]!.AsArray().Select(e => e!["Hour"]!.GetValue<double>()));

        // [start + 10 min, start + 20 min): exactly ten reports, the end excluded.
        var window = await FleetKit.XmlAsync(kit.Tenant.Viewer,
            $"/api/v1/aemp/Fleet/Equipment/ID/{kit.MachineId}/CumulativeOperatingHours/{FleetKit.Time(start + 600_000)}/{FleetKit.Time(start + 1_200_000)}/1");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => 100.0 + i),
            window.Root!.Elements(Iso + "CumulativeOperatingHours").Select(e => double.Parse(e.Element(Iso + "Hour")!.Value, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Fault_codes_list_each_new_code_with_its_failure_mode_severity_and_source()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000 - Hours(3);
        (int Code, int Fmi, int Severity)[] reports = [(0, 0, 0), (110, 3, 2), (110, 3, 2), (0, 0, 0), (94, 1, 3), (94, 1, 3)];
        await kit.SendManyAsync(reports.Select((r, i) => (start + i * 60_000L, (object)new { fault_code = r.Code, fault_fmi = r.Fmi, fault_severity = r.Severity })));

        var doc = await FleetKit.XmlAsync(kit.Tenant.Viewer,
            $"/api/v1/aemp/Fleet/Equipment/ID/{kit.MachineId}/FaultCodes/{FleetKit.Time(start)}/{FleetKit.Time(start + Hours(1))}/1");

        Assert.Equal(Iso + "FaultCodeMessages", doc.Root!.Name);
        var faults = doc.Root.Elements(Iso + "FaultCode").ToList();
        Assert.Equal([start + 60_000, start + 240_000], faults.Select(f => DateTimeOffset.Parse(f.Attribute("datetime")!.Value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()));
        Assert.Equal(["110/3", "94/1"], faults.Select(f => f.Element(Iso + "CodeIdentifier")!.Value));
        Assert.Equal(["2", "3"], faults.Select(f => f.Element(Iso + "CodeSeverity")!.Value));
        Assert.All(faults, f => Assert.Equal("J1939", f.Element(Iso + "CodeSource")!.Value));
    }

    [Fact]
    public async Task Another_tenant_neither_sees_a_machines_elements_nor_finds_it_in_its_fleet()
    {
        using var a = await FleetKit.CreateAsync(Host, serial: "A-SECRET-1");
        using var b = await FleetKit.CreateAsync(Host, serial: "B-OWN-1");
        await ReportAsync(a);

        var bFleet = (await FleetKit.XmlAsync(b.Tenant.Admin, "/api/v1/aemp/Fleet")).ToString();
        var aFleet = (await FleetKit.XmlAsync(a.Tenant.Admin, "/api/v1/aemp/Fleet")).ToString();

        Assert.Contains("B-OWN-1", bFleet, StringComparison.Ordinal);
        Assert.DoesNotContain("A-SECRET-1", bFleet, StringComparison.Ordinal);
        Assert.DoesNotContain("B-OWN-1", aFleet, StringComparison.Ordinal);
        await b.Tenant.Admin.GetJsonAsync($"/api/v1/aemp/Fleet/Equipment/ID/{a.MachineId}", HttpStatusCode.NotFound);
        await b.Tenant.Admin.GetJsonAsync($"/api/v1/aemp/Fleet/Equipment/ID/{a.MachineId}/Location/2020-01-01T00:00:00Z/2030-01-01T00:00:00Z/1", HttpStatusCode.NotFound);
        await b.Tenant.Admin.GetJsonAsync($"/api/v1/machines/{a.MachineId}/equipment", HttpStatusCode.NotFound);
        await b.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{a.MachineId}/equipment",
            new { oemName = "x", model = "x", serialNumber = "x" }, HttpStatusCode.NotFound, "machine");
        Assert.Equal("A-SECRET-1", (await a.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{a.MachineId}/equipment"))["serialNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_snapshot_filtered_by_time_keeps_the_occurrences_in_the_range_and_only_machines_that_have_one()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        using var other = await FleetPositionsTests.AddMachineAsync(kit, "exc-other");
        await kit.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{other.Id}/equipment", new { oemName = "Kestrel", model = "KX-1", serialNumber = "EX-0002" }, HttpStatusCode.OK);
        var t0 = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds();
        await kit.SendAsync(t0, new { latitude = 52.5, longitude = 13.4 });
        await kit.SendAsync(t0 + 7_200_000, new { engine_hours = 1200.5 });
        await other.SendAsync(t0, new { engine_hours = 10.0 });

        // Since an hour after t0: only the kit's hour meter.
        var since = FleetKit.Time(t0 + 3_600_000);
        var doc = await FleetKit.JsonAsync(kit.Tenant.Viewer, $"/api/v1/aemp/Fleet?startDateUTC={since}");
        var equipment = Assert.Single(doc["Equipment"]!.AsArray())!.AsObject();
        Assert.Equal(kit.Name, equipment["EquipmentHeader"]!["EquipmentID"]!.GetValue<string>());
        Assert.Equal(["CumulativeOperatingHours", "EquipmentHeader"], equipment.Select(p => p.Key).Order());
        Assert.All(doc["Links"]!.AsArray(), l => Assert.EndsWith($"?startDateUTC={Uri.EscapeDataString(since)}", l!["href"]!.GetValue<string>(), StringComparison.Ordinal));

        // Up to an hour after t0: both machines, the kit with its location only (its hour meter came later).
        var xml = await FleetKit.XmlAsync(kit.Tenant.Viewer, $"/api/v1/aemp/Fleet/1?startDateUTC={FleetKit.Time(t0)}&endDateUTC={FleetKit.Time(t0 + 3_600_000)}");
        var machines = xml.Root!.Elements(Iso + "Equipment").ToList();
        Assert.Equal(2, machines.Count);
        var mine = machines.Single(m => m.Element(Iso + "EquipmentHeader")!.Element(Iso + "EquipmentID")!.Value == kit.Name);
        Assert.NotNull(mine.Element(Iso + "Location"));
        Assert.Null(mine.Element(Iso + "CumulativeOperatingHours"));

        // Before anything was reported: an empty first page; an empty range is refused.
        var none = await FleetKit.JsonAsync(kit.Tenant.Viewer, $"/api/v1/aemp/Fleet?endDateUTC={FleetKit.Time(t0 - 1000)}");
        Assert.Empty(none["Equipment"]?.AsArray() ?? []);
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/aemp/Fleet?startDateUTC={since}&endDateUTC={FleetKit.Time(t0)}", null, HttpStatusCode.BadRequest, "after startDateUTC");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/aemp/Fleet?startDateUTC=yesterday", null, HttpStatusCode.BadRequest, "startDateUTC");
    }

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_cause()
    {
        using var kit = await FleetKit.CreateAsync(Host);
        var series = $"/api/v1/aemp/Fleet/Equipment/ID/{kit.MachineId}";

        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"{series}/Horsepower/2020-01-01T00:00:00Z/2030-01-01T00:00:00Z/1", null, HttpStatusCode.NotFound, "CumulativeOperatingHours");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"{series}/Location/2020-01-01T00:00:00/2030-01-01T00:00:00Z/1", null, HttpStatusCode.BadRequest, "zone");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"{series}/Location/2030-01-01T00:00:00Z/2020-01-01T00:00:00Z/1", null, HttpStatusCode.BadRequest, "after startDateUTC");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/aemp/Fleet/0", null, HttpStatusCode.BadRequest, "numbered from 1");
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/aemp/Fleet/2", null, HttpStatusCode.NotFound, "past the last page (1)");
        var problem = await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{kit.MachineId}/equipment",
            new { oemName = " ", model = new string('x', 101) }, HttpStatusCode.BadRequest, "oemName");
        Assert.Equal(["model", "oemName", "serialNumber"], problem["errors"]!.AsObject().Select(e => e.Key).Order());

        await kit.Tenant.Operator.DeleteAsync($"/api/v1/machines/{kit.MachineId}/equipment", HttpStatusCode.NoContent);
        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, series, null, HttpStatusCode.NotFound, "not fleet equipment");
        var empty = await FleetKit.XmlAsync(kit.Tenant.Viewer, "/api/v1/aemp/Fleet");
        Assert.Empty(empty.Root!.Elements(Iso + "Equipment"));
    }

    public sealed class OnSqlite(SqliteHost host) : AempApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AempApiTests(host), IClassFixture<PostgresHost>;
}
