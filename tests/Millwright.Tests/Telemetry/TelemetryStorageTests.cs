using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

/// <summary>
/// Telemetry as a user of the platform sees it over HTTP: what the machine type says about unexpected values,
/// and the stored series read back raw, paged, as CSV, aggregated and as a chart.
/// </summary>
public abstract class TelemetryStorageTests(HostFixture fixture)
{
    private static readonly long Hour = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 3600 * 3_600_000;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Under_the_default_policy_unknown_tags_and_values_out_of_range_are_stored_and_flagged()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);

        using var response = await PostAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 900, "mystery": 1}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var flags = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/telemetry-flags")).AsArray();
        Assert.Equal(["mystery: unknown tag", "power: out of range"], flags.Select(f => $"{f!["tag"]}: {f["reason"]}").Order());
        Assert.Equal("900", flags.Single(f => f!["tag"]!.GetValue<string>() == "power")!["lastValue"]!.GetValue<string>());
        var series = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series")).AsArray();
        Assert.Equal(["mystery", "power"], series.Select(s => s!["tag"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_type_that_rejects_refuses_the_whole_message_and_says_why()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}", new
        {
            name = "strict press",
            tags = new object[] { new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 } },
            unknownTags = "reject",
            invalidValues = "reject",
        }, HttpStatusCode.OK);
        using var device = Device(plant);

        await AssertRefusedAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 10, "mystery": 1}}""", "'mystery' is not a tag of this machine's type");
        await AssertRefusedAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 900}}""", "'power' = 900: out of range (float from 0 to 500)");
        await AssertRefusedAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": "high"}}""", "wrong data type");

        var series = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series")).AsArray();
        Assert.Empty(series);
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"))["values"]!.AsArray());
    }

    [Fact]
    public async Task Values_from_the_future_or_older_than_the_late_window_are_refused_with_the_reason()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);
        var now = DateTimeOffset.UtcNow;

        await AssertRefusedAsync(device, $$$"""{"ts": {{{now.AddHours(1).ToUnixTimeMilliseconds()}}}, "values": {"power": 1}}""", "ahead of the platform's clock");
        await AssertRefusedAsync(device, $$$"""{"ts": {{{now.AddDays(-8).ToUnixTimeMilliseconds()}}}, "values": {"power": 1}}""", "older than the late window of 7 days");
    }

    [Fact]
    public async Task Raw_points_come_back_in_pages_and_as_CSV_and_a_repeated_point_is_stored_once()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);
        var samples = string.Join(',', Enumerable.Range(0, 50).Select(i => $$$"""{"ts": {{{Hour + (i * 1000)}}}, "values": {"power": {{{i}}}.5}}"""));
        (await PostAsync(device, $"[{samples}]")).Dispose();
        (await PostAsync(device, $$$"""{"ts": {{{Hour + 3000}}}, "values": {"power": 999}}""")).Dispose();

        var first = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series/power/points?from={Hour}&to={Hour + 60_000}&limit=30");
        Assert.Equal(30, first["points"]!.AsArray().Count);
        var next = first["next"]!.GetValue<string>();
        var second = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series/power/points?from={Uri.EscapeDataString(next)}&to={Hour + 60_000}&limit=30");
        var all = first["points"]!.AsArray().Concat(second["points"]!.AsArray()).ToList();
        Assert.Null(second["next"]);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i + 0.5), all.Select(p => p!["value"]!.GetValue<double>()));

        var csv = await t.Viewer.GetStringAsync($"/api/v1/machines/{plant.MachineId}/series/power/points.csv?from={Iso(Hour)}&to={Iso(Hour + 2000)}");
        Assert.Equal($"time,power\n{Iso(Hour)},0.5\n{Iso(Hour + 1000)},1.5\n", csv.Replace(".000Z", "Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Aggregates_and_charts_summarise_the_stored_values()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);

        // Two minutes at 1 Hz: power rises 0..119, so minute one holds 0..59 and minute two 60..119.
        var samples = string.Join(',', Enumerable.Range(0, 120).Select(i => $$$"""{"ts": {{{Hour + (i * 1000)}}}, "values": {"power": {{{i}}}}}"""));
        (await PostAsync(device, $"[{samples}]")).Dispose();

        var buckets = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series/power/aggregate?from={Hour}&to={Hour + 120_000}&bucket=1m")).AsArray();
        Assert.Equal(2, buckets.Count);
        Assert.Equal((60L, 0d, 59d, 29.5, 0d, 59d), Bucket(buckets[0]!));
        Assert.Equal((60L, 60d, 119d, 89.5, 60d, 119d), Bucket(buckets[1]!));

        var chart = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/series/power/chart?from={Hour}&to={Hour + 120_000}&points=10");
        var columns = chart["points"]!.AsArray();
        Assert.InRange(columns.Count, 1, 10);
        Assert.Equal(0, columns.Min(c => c!["min"]!.GetValue<double>()));
        Assert.Equal(119, columns.Max(c => c!["max"]!.GetValue<double>()));
    }

    [Theory]
    [InlineData("from=2026-11-22T08:00:00&to=2026-11-22T09:00:00Z", "not a time with a zone")]
    [InlineData("from=yesterday", "not a time with a zone")]
    [InlineData("from=2026-11-22T09:00:00Z&to=2026-11-22T08:00:00Z", "must be before 'to'")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "at most 400 days")]
    public async Task Ranges_without_a_zone_backwards_or_too_long_are_refused(string query, string problem)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);
        (await PostAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 1}}""")).Dispose();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{plant.MachineId}/series/power/points?{query}", null, HttpStatusCode.BadRequest, problem);
    }

    [Fact]
    public async Task Latest_values_of_a_whole_site_come_in_one_answer()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);
        (await PostAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 7}}""")).Dispose();

        var items = (await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}"))["items"]!.AsArray();

        var machine = Assert.Single(items);
        Assert.Equal(plant.MachineId, machine!["machineId"]!.GetValue<long>());
        Assert.Equal(7, machine["values"]![0]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Latest_of_a_site_shows_a_machine_added_a_moment_ago_and_each_machine_as_its_own_latest_does()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = Device(plant);
        (await PostAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 7}}""")).Dispose();
        Assert.Single((await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}"))["items"]!.AsArray());

        var added = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-second" }, HttpStatusCode.Created);
        var items = (await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}"))["items"]!.AsArray();

        Assert.Equal([plant.MachineId, added.Id()], items.Select(i => i!["machineId"]!.GetValue<long>()));
        var single = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest");
        Assert.True(JsonNode.DeepEquals(single, items[0]), $"{single.ToJsonString()} != {items[0]!.ToJsonString()}");
        Assert.Empty(items[1]!["values"]!.AsArray());
    }

    [Fact]
    public async Task The_compact_answer_holds_what_the_full_one_does_and_since_lists_only_machines_changed_after_it()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var second = (await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-second" }, HttpStatusCode.Created)).Id();
        using var device = Device(plant);
        (await PostAsync(device, $$$"""{"ts": {{{Hour}}}, "values": {"power": 7, "mode": "AUTO", "door": true}}""")).Dispose();

        var full = (await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}"))["items"]!.AsArray();
        var compact = await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}&format=compact");

        // Every machine of the site, the silent one too, with the same values and times as the full answer.
        var machines = compact["machines"]!.AsArray();
        Assert.Equal([plant.MachineId, second], machines.Select(m => m!["id"]!.GetValue<long>()));
        var names = compact["tags"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var first = machines[0]!;
        var unpacked = first["tags"]!.AsArray().Select((index, i) => (
            Tag: names[index!.GetValue<int>()], Ts: first["ts"]!.GetValue<long>(), Value: first["values"]![i]!.ToJsonString())).OrderBy(v => v.Tag, StringComparer.Ordinal).ToList();
        var expected = full[0]!["values"]!.AsArray().Select(v => (
            Tag: v!["tag"]!.GetValue<string>(), Ts: v["ts"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds(), Value: v["value"]!.ToJsonString())).ToList();
        Assert.Equal(expected, unpacked);
        Assert.Empty(machines[1]!["values"]!.AsArray());

        // Since its version: nothing changed, nothing listed; then only the machine that reported.
        var version = compact["version"]!.GetValue<long>();
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}&format=compact&since={version}"))["machines"]!.AsArray());
        (await PostAsync(device, $$$"""{"ts": {{{Hour + 1_000}}}, "values": {"power": 8}}""")).Dispose();
        var changed = await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}&format=compact&since={version}");
        var only = Assert.Single(changed["machines"]!.AsArray())!;
        Assert.Equal(plant.MachineId, only["id"]!.GetValue<long>());
        Assert.Equal(3, only["values"]!.AsArray().Count);
        // Values from two messages: a time per value.
        Assert.Equal(2, only["ts"]!.AsArray().Select(t => t!.GetValue<long>()).Distinct().Count());
        Assert.True(changed["version"]!.GetValue<long>() > version);

        // A version this process never gave (another node's, a clock set back) is answered with the whole site.
        Assert.Equal(2, (await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}&format=compact&since={long.MaxValue}"))["machines"]!.AsArray().Count);

        // An older reading changes nothing, so it lists nothing.
        var now = changed["version"]!.GetValue<long>();
        (await PostAsync(device, $$$"""{"ts": {{{Hour - 1_000}}}, "values": {"power": 1}}""")).Dispose();
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/latest?site={plant.SiteId}&format=compact&since={now}"))["machines"]!.AsArray());
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("format=compact&since=-1", "since")]
    [InlineData("since=5", "since")]
    public async Task A_format_or_version_the_latest_answer_does_not_know_is_refused(string query, string field)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/latest?site={plant.SiteId}&{query}", null, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Latest_of_a_list_of_machines_answers_only_the_callers_own_and_skips_unknown_ids()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        using var deviceA = Device(plantA);
        (await PostAsync(deviceA, $$$"""{"ts": {{{Hour}}}, "values": {"power": 7}}""")).Dispose();

        var items = (await b.Viewer.GetJsonAsync($"/api/v1/latest?machines={plantA.MachineId},{plantB.MachineId},987654321"))["items"]!.AsArray();

        Assert.Equal([plantB.MachineId], items.Select(i => i!["machineId"]!.GetValue<long>()));
        Assert.DoesNotContain(plantA.Marker, items.ToJsonString(), StringComparison.Ordinal);
        Assert.Single((await a.Viewer.GetJsonAsync($"/api/v1/latest?machines={plantA.MachineId},{plantA.MachineId}"))["items"]!.AsArray());
        Assert.Empty((await a.Viewer.GetJsonAsync("/api/v1/latest?machines=,"))["items"]!.AsArray());
        var compact = await b.Viewer.GetJsonAsync($"/api/v1/latest?machines={plantA.MachineId},{plantB.MachineId}&format=compact&since=0");
        Assert.DoesNotContain(plantA.Marker, compact.ToJsonString(), StringComparison.Ordinal);
        Assert.All(compact["machines"]!.AsArray(), m => Assert.Equal(plantB.MachineId, m!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_tenant_admin_sets_retention_that_must_outlive_the_late_window()
    {
        using var t = await Host.CreateTenantAsync();

        var defaults = await t.Viewer.GetJsonAsync("/api/v1/retention");
        Assert.Equal((30d, 365d), (defaults["rawDays"]!.GetValue<double>(), defaults["minuteDays"]!.GetValue<double>()));
        Assert.Null(defaults["hourDays"]);

        await t.Admin.PutJsonAsync("/api/v1/retention", new { rawDays = 90, minuteDays = 730, hourDays = (double?)null }, HttpStatusCode.OK);
        Assert.Equal(90, (await t.Viewer.GetJsonAsync("/api/v1/retention"))["rawDays"]!.GetValue<double>());

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Put, "/api/v1/retention", new { rawDays = 1, minuteDays = 30 }, HttpStatusCode.BadRequest, "raw retention must exceed the late window");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Put, "/api/v1/retention", new { rawDays = -3 }, HttpStatusCode.BadRequest, "rawDays");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Put, "/api/v1/retention", new { rawDays = 90 }, HttpStatusCode.Forbidden, "operator");
        Assert.Equal(90, (await t.Viewer.GetJsonAsync("/api/v1/retention"))["rawDays"]!.GetValue<double>());
    }

    private static (long, double, double, double, double, double) Bucket(JsonNode b) =>
        (b["count"]!.GetValue<long>(), b["min"]!.GetValue<double>(), b["max"]!.GetValue<double>(), b["avg"]!.GetValue<double>(), b["first"]!.GetValue<double>(), b["last"]!.GetValue<double>());

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static async Task AssertRefusedAsync(HttpClient device, string body, string reason)
    {
        using var response = await PostAsync(device, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private HttpClient Device(Plant plant)
    {
        var client = Host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        return client;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));

    public sealed class OnSqlite(SqliteHost host) : TelemetryStorageTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TelemetryStorageTests(host), IClassFixture<PostgresHost>;
}
