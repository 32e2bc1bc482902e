using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.States;

public abstract class StatesAndKpisApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private const string Shift = "from=2026-01-05T05:00:00Z&to=2026-01-05T13:00:00Z";

    [Fact]
    public async Task The_tracker_records_state_intervals_with_alarm_reasons_and_offline_after_silence()
    {
        using var t = await Host.CreateTenantAsync();
        var f = await ShiftFixture.CreateAsync(t, Host.Database);

        var history = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{f.MachineId}/states?{Shift}")).AsArray();

        Assert.Equal(["running", "down", "running", "down", "running", "setup", "running", "offline"], history.Select(h => h!["state"]!.GetValue<string>()));
        Assert.Equal(["05:00", "08:00", "08:30", "11:00", "11:15", "12:00", "12:30", "12:50"],
            history.Select(h => h!["start"]!.GetValue<DateTimeOffset>().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("spindle overload", history[1]!["reason"]!.GetValue<string>());
        Assert.Equal("alarm 7", history[3]!["reason"]!.GetValue<string>());
        Assert.Equal("alarm", history[3]!["reasonSource"]!.GetValue<string>());
        // Each interval ends where the next starts; only the last is open.
        for (var i = 0; i < history.Count - 1; i++)
        {
            Assert.Equal(history[i + 1]!["start"]!.GetValue<DateTimeOffset>(), history[i]!["end"]!.GetValue<DateTimeOffset>());
        }

        Assert.Null(history[^1]!["end"]);
        Assert.Equal("offline", f.Tracker.CurrentOf(t.Id, f.MachineId)?.State);
        var current = (await t.Viewer.GetJsonAsync($"/api/v1/states?line={f.Plant.LineId}")).AsArray();
        Assert.Equal("offline", current.Single(c => c!["machineId"]!.GetValue<long>() == f.MachineId)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operator_names_the_reason_of_a_downtime()
    {
        using var t = await Host.CreateTenantAsync();
        var f = await ShiftFixture.CreateAsync(t, Host.Database);
        var down = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{f.MachineId}/states?{Shift}")).AsArray()[3]!;

        var changed = await t.Operator.PutJsonAsync($"/api/v1/machines/{f.MachineId}/states/{down.Id()}/reason", new { reason = "tool breakage" }, HttpStatusCode.OK);

        Assert.Equal("tool breakage", changed["reason"]!.GetValue<string>());
        Assert.Equal("operator", changed["reasonSource"]!.GetValue<string>());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{f.MachineId}/states/{down.Id()}/reason", new { reason = " " }, HttpStatusCode.BadRequest, "reason: is required");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machines/{f.Plant.MachineId}/states/{down.Id()}/reason", new { reason = "x" }, HttpStatusCode.NotFound, "no state interval");
    }

    [Fact]
    public async Task Shift_KPIs_of_a_machine_match_the_hand_computed_figures()
    {
        using var t = await Host.CreateTenantAsync();
        var f = await ShiftFixture.CreateAsync(t, Host.Database);

        var report = await t.Viewer.GetJsonAsync($"/api/v1/kpis?machine={f.MachineId}&{Shift}&period=shift");
        var period = report["periods"]!.AsArray().Single()!;
        var inputs = period["inputs"]!;
        var kpis = period["kpis"]!;

        Assert.Equal("2026-01-05 early", period["label"]!.GetValue<string>());
        // PBT: 8 h shift − 0.5 h break = 27,000 s; no planned stops, so POT = PBT and PDT = 0.
        Assert.Equal(27_000, inputs["pbt"]!.GetValue<double>());
        Assert.Equal(0, inputs["pdt"]!.GetValue<double>());
        // APT: running 05:00-08:00 (10,800) + 08:30-11:00 less the 09:00-09:30 break (7,200) + 11:15-12:00 (2,700) + 12:30-12:50 (1,200).
        Assert.Equal(21_900, inputs["apt"]!.GetValue<double>());
        Assert.Equal(2_700, inputs["adet"]!.GetValue<double>());  // down 08:00-08:30 (1,800) + 11:00-11:15 (900)
        Assert.Equal(1_800, inputs["aust"]!.GetValue<double>());  // setup 12:00-12:30
        Assert.Equal(600, inputs["adot"]!.GetValue<double>());    // offline 12:50-13:00
        Assert.Equal(26_400, inputs["aubt"]!.GetValue<double>()); // APT + AUST + ADET
        Assert.Equal(27_000, inputs["aoet"]!.GetValue<double>()); // AUBT + ADOT: every planned second has a state
        // PQ = 240 + 120 + 5 (after the counter reset) + 240 + 40 = 645; SQ = 6 + 4 = 10; GQ = 635.
        Assert.Equal(645, inputs["pq"]!.GetValue<double>());
        Assert.Equal(10, inputs["sq"]!.GetValue<double>());
        Assert.Equal(635, inputs["gq"]!.GetValue<double>());
        Assert.Equal(645 * 30, inputs["idealTime"]!.GetValue<double>());
        Assert.Equal(220, inputs["energy"]!.GetValue<double>());  // 60 + 40 + 100 + 20 kWh
        Assert.Equal(2, inputs["fe"]!.GetValue<int>());

        Assert.Equal(21_900.0 / 27_000, kpis["availability"]!.GetValue<double>(), 12);      // ≈ 0.8111
        Assert.Equal(19_350.0 / 21_900, kpis["effectiveness"]!.GetValue<double>(), 12);     // ≈ 0.8836
        Assert.Equal(635.0 / 645, kpis["qualityRatio"]!.GetValue<double>(), 12);           // ≈ 0.9845
        Assert.Equal(21_900.0 / 27_000 * (19_350.0 / 21_900) * (635.0 / 645), kpis["oee"]!.GetValue<double>(), 12); // ≈ 0.7056
        Assert.Equal(10.0 / 645, kpis["scrapRatio"]!.GetValue<double>(), 12);
        Assert.Equal(86, kpis["throughputRate"]!.GetValue<double>(), 9);                  // 645 units / 7.5 h
        Assert.Equal(21_900.0 / 26_400, kpis["utilizationEfficiency"]!.GetValue<double>(), 12);
        Assert.Equal(10_950, kpis["mtbf"]!.GetValue<double>(), 9);                         // APT / FE = 21,900 / 2
        Assert.Equal(1_350, kpis["mttr"]!.GetValue<double>(), 9);                          // (1,800 + 900) / 2
        Assert.Equal(220.0 / 635, kpis["energyPerGoodUnit"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task Line_KPIs_sum_their_machines_and_a_range_without_planned_time_has_no_ratios()
    {
        using var t = await Host.CreateTenantAsync();
        var f = await ShiftFixture.CreateAsync(t, Host.Database);

        // The plant's own machine never reported: it adds its 27,000 s of PBT and nothing else, halving availability.
        var line = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?line={f.Plant.LineId}&{Shift}"))["periods"]!.AsArray().Single()!;
        Assert.Equal(54_000, line["inputs"]!["pbt"]!.GetValue<double>());
        Assert.Equal(21_900.0 / 54_000, line["kpis"]!["availability"]!.GetValue<double>(), 12);

        // Sunday: no shift, so no planned time, and every time-based ratio is null rather than a division by zero.
        var sunday = (await t.Viewer.GetJsonAsync($"/api/v1/kpis?site={f.Plant.SiteId}&from=2026-01-04T00:00:00Z&to=2026-01-04T23:00:00Z"))["periods"]!.AsArray().Single()!;
        Assert.Equal(0, sunday["inputs"]!["pbt"]!.GetValue<double>());
        Assert.Null(sunday["kpis"]!["availability"]);
        Assert.Null(sunday["kpis"]!["oee"]);
        Assert.Null(sunday["kpis"]!["mtbf"]);
    }

    [Fact]
    public async Task KPI_queries_are_checked()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/kpis", null, HttpStatusCode.BadRequest, "exactly one of machine, line or site");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/kpis?machine={plant.MachineId}&line={plant.LineId}", null, HttpStatusCode.BadRequest, "exactly one");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/kpis?machine={plant.MachineId}&period=month", null, HttpStatusCode.BadRequest, "shift, day or week");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/kpis?machine={plant.MachineId}&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", null, HttpStatusCode.BadRequest, "from: must be before 'to'");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/kpis?machine={plant.MachineId}&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, HttpStatusCode.BadRequest, "at most 92 days");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/kpis?machine=987654", null, HttpStatusCode.NotFound, "no machine with id 987654");
    }

    [Fact]
    public async Task Bad_state_rules_are_refused_and_the_stored_ones_stay()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machine-types/{plant.TypeId}/state-rules";
        var before = (await t.Viewer.GetJsonAsync(path)).ToJsonString();

        using var response = await t.Operator.SendRawAsync(HttpMethod.Put, path,
            """{"rules": [{"state": "offline", "when": "power > 1"}, {"state": "down", "when": "power >> 1"}, {"state": "running", "when": "speed > 1"}], "partCounter": "nothing", "offlineAfterSeconds": 0}""");
        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest, "rules[1].when");
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).Order();

        Assert.Equal(["offlineAfterSeconds", "partCounter", "rules[0].state", "rules[1].when", "rules[2].when"], errors);
        Assert.Contains("'speed' is not a tag of this machine type", problem["errors"]!["rules[2].when"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await t.Viewer.GetJsonAsync(path)).ToJsonString());
    }

    [Fact]
    public async Task Telemetry_through_the_pipeline_moves_the_machines_state_and_changed_rules_apply_to_it_at_its_next_message()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);  // its type's rule: running if power > 1
        using var device = Host.Client(null);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        await SendPowerAndAwaitAsync("running");

        // The tracker holds this machine's rules now; the change must reach it at its next message.
        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}/state-rules",
            new { rules = new[] { new { state = "running", when = "power > 20" } } }, HttpStatusCode.OK);
        await SendPowerAndAwaitAsync("idle");

        async Task SendPowerAndAwaitAsync(string expected)
        {
            using var response = await device.PostAsync("/api/v1/telemetry", new StringContent("""{"values": {"power": 12.5}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Eventually.ValueAsync(
                async () => (await t.Viewer.GetJsonAsync($"/api/v1/states?site={plant.SiteId}")).AsArray().Single(m => m!["machineId"]!.GetValue<long>() == plant.MachineId)!,
                m => m["state"]?.GetValue<string>() == expected, $"the machine {expected}");
        }
    }

    [Fact]
    public async Task The_offline_timeout_is_a_duration_or_a_number_of_missed_reports()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machine-types/{plant.TypeId}/state-rules";

        var rules = await t.Operator.PutJsonAsync(path, new { reportingIntervalSeconds = 2.5, offlineAfterIntervals = 4 }, HttpStatusCode.OK);

        Assert.Equal(10, rules["ruleSet"]!["offlineAfterSeconds"]!.GetValue<double>());
        Assert.Equal(4, rules["ruleSet"]!["offlineAfterIntervals"]!.GetValue<int>());
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { offlineAfterSeconds = 30, offlineAfterIntervals = 3, reportingIntervalSeconds = 1 },
            HttpStatusCode.BadRequest, "not both");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { offlineAfterIntervals = 3 }, HttpStatusCode.BadRequest, "positive reportingIntervalSeconds");
        Assert.Equal(rules.ToJsonString(), (await t.Viewer.GetJsonAsync(path)).ToJsonString());
    }

    public sealed class OnSqlite(SqliteHost host) : StatesAndKpisApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : StatesAndKpisApiTests(host), IClassFixture<PostgresHost>;
}
