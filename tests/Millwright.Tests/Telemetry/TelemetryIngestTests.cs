using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Telemetry;

public abstract class TelemetryIngestTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_device_posts_telemetry_and_its_latest_values_show_it()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = DeviceClient(plant.Username, plant.Secret);

        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        var earlier = new DateTimeOffset(hourAgo.Year, hourAgo.Month, hourAgo.Day, hourAgo.Hour, 0, 0, TimeSpan.Zero);
        using var response = await PostAsync(device, $$$"""[{"ts": {{{hourAgo.ToUnixTimeMilliseconds()}}}, "values": {"spindle_speed": 12000, "program": "O1234"}}, {"ts": "{{{earlier:yyyy-MM-ddTHH:mm:ssZ}}}", "values": {"running": true}}]""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("\"accepted\":3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var values = await WaitForLatestAsync(t, plant.MachineId, 3);
        Assert.Equal(12000, values.Single(v => v!["tag"]!.GetValue<string>() == "spindle_speed")!["value"]!.GetValue<double>());
        Assert.Equal("O1234", values.Single(v => v!["tag"]!.GetValue<string>() == "program")!["value"]!.GetValue<string>());
        Assert.True(values.Single(v => v!["tag"]!.GetValue<string>() == "running")!["value"]!.GetValue<bool>());
        Assert.Equal(earlier, values.Single(v => v!["tag"]!.GetValue<string>() == "running")!["ts"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task An_older_reading_does_not_replace_a_newer_one()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = DeviceClient(plant.Username, plant.Secret);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (await PostAsync(device, $$$"""{"ts": {{{now}}}, "values": {"load": 2}}""")).Dispose();
        (await PostAsync(device, $$$"""{"ts": {{{now - 1000}}}, "values": {"load": 1, "marker": 1}}""")).Dispose();

        var values = await WaitForLatestAsync(t, plant.MachineId, 2);
        Assert.Equal(2, values.Single(v => v!["tag"]!.GetValue<string>() == "load")!["value"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"values": {"9lives": 1}}""", "not a tag name")]
    [InlineData("""{"values": {"a": null}}""", "must be a finite number")]
    [InlineData("""{"ts": -5, "values": {"a": 1}}""", "epoch milliseconds")]
    [InlineData("""{"values": {"a": 1}, "extra": 2}""", "unknown field 'extra'")]
    [InlineData("""{"values": {"a": 1, "a": 2}}""", "appears twice")]
    [InlineData("""{"values": {}}""", "no values")]
    [InlineData("""{"values": {"a": 1""", "malformed JSON")]
    [InlineData("""[1, 2]""", "expected an object")]
    public async Task A_malformed_payload_gets_a_problem_naming_it_and_stores_nothing(string body, string problem)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var device = DeviceClient(plant.Username, plant.Secret);

        using var response = await PostAsync(device, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"))["values"]!.AsArray());
    }

    [Fact]
    public async Task A_wrong_revoked_or_missing_credential_is_unauthorized()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        const string body = """{"values": {"a": 1}}""";

        using (var wrong = DeviceClient(plant.Username, plant.Secret + "x"))
        using (var response = await PostAsync(wrong, body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var apiKey = Host.Client(t.AdminKey))
        using (var response = await PostAsync(apiKey, body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await t.Operator.PostJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials", new { }, HttpStatusCode.Created);
        using (var revoked = DeviceClient(plant.Username, plant.Secret))
        using (var response = await PostAsync(revoked, body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Empty((await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"))["values"]!.AsArray());
    }

    [Fact]
    public async Task Latest_values_of_an_unknown_machine_are_not_found()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/machines/987654/latest", null, HttpStatusCode.NotFound, "no machine with id 987654");
    }

    private HttpClient DeviceClient(string username, string secret)
    {
        var client = Host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        return client;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>The pipeline hands messages over asynchronously; wait for them with a deadline, not a sleep.</summary>
    private static async Task<JsonArray> WaitForLatestAsync(TestTenant t, long machineId, int count)
    {
        var values = await Eventually.ValueAsync(
            async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest"))["values"]!.AsArray(),
            v => v.Count >= count, $"{count} latest values");
        Assert.Equal(count, values.Count);
        return values;
    }

    public sealed class OnSqlite(SqliteHost host) : TelemetryIngestTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TelemetryIngestTests(host), IClassFixture<PostgresHost>;
}
