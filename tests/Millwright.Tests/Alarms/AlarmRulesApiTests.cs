using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

public abstract class AlarmRulesApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Rules_are_created_read_replaced_listed_and_deleted_with_an_audit_trail()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        var rule = await t.Operator.PostJsonAsync("/api/v1/alarm-rules", new
        {
            name = "hot", machineTypeId = plant.TypeId, tag = "temp", kind = "threshold", direction = "high", limit = 80, deadband = 2.5,
            severity = "high", message = "{{literal}} {value}",
        }, HttpStatusCode.Created);
        Assert.Equal(2.5, rule["deadband"]!.GetValue<double>());
        Assert.True(rule["enabled"]!.GetValue<bool>());

        var replaced = await t.Operator.PutJsonAsync($"/api/v1/alarm-rules/{rule.Id()}", new
        {
            name = "stale", machineId = plant.MachineId, tag = "temp", kind = "missing", durationSeconds = 120, severity = "low", message = "silent",
        }, HttpStatusCode.OK);
        Assert.Equal("missing", replaced["kind"]!.GetValue<string>());
        Assert.Null(replaced["machineTypeId"]);
        Assert.Equal(120, replaced["durationSeconds"]!.GetValue<int>());

        Assert.Single(await t.Viewer.ListAsync($"/api/v1/alarm-rules?machineId={plant.MachineId}&kind=missing"));
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/alarm-rules?kind=rate"));
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/alarm-rules",
            new { name = "stale", machineId = plant.MachineId, tag = "x", kind = "missing", durationSeconds = 5, severity = "low", message = "m" }, HttpStatusCode.Conflict, "already exists");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/alarm-rules/{rule.Id()}", null, HttpStatusCode.Forbidden, "viewer");
        await t.Operator.DeleteAsync($"/api/v1/alarm-rules/{rule.Id()}", HttpStatusCode.NoContent);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/alarm-rules/{rule.Id()}", null, HttpStatusCode.NotFound, "no alarm rule");

        var audit = await t.Admin.ListAsync("/api/v1/audit?entity=alarm_rule");
        Assert.Equal(["create", "update", "delete"], audit.Select(a => a!["action"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"name": "r", "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "m"}""", "exactly one of machineTypeId and machineId")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "machineId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "m"}""", "exactly one")]
    [InlineData("""{"name": "r", "machineTypeId": 987654, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "m"}""", "no machine type with id 987654")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "magic", "severity": "low", "message": "m"}""", "kind: must be one of")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "9t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "m"}""", "tag: must be")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "limit": 1, "severity": "low", "message": "m"}""", "direction")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "severity": "low", "message": "m"}""", "finite limit")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "deadband": -1, "severity": "low", "message": "m"}""", "deadband")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "duration", "direction": "high", "limit": 1, "severity": "low", "message": "m"}""", "durationSeconds")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "missing", "durationSeconds": 0, "severity": "low", "message": "m"}""", "durationSeconds")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "missing", "durationSeconds": 5, "limit": 3, "severity": "low", "message": "m"}""", "no limit")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "rate", "limit": 5, "deadband": 5, "severity": "low", "message": "m"}""", "smaller than the rate limit")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "kind": "state", "severity": "low", "message": "m"}""", "stateValue")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "dire", "message": "m"}""", "severity")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "{speed} high"}""", "unknown placeholder '{speed}'")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": "open {value"}""", "not closed")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": 1, "severity": "low", "message": ""}""", "message: must not be empty")]
    [InlineData("""{"name": "r", "machineTypeId": 1, "tag": "t", "kind": "threshold", "direction": "high", "limit": "x", "severity": "low", "message": "m"}""", "malformed")]
    public async Task A_bad_rule_gets_a_problem_naming_the_field_and_stores_nothing(string json, string problem)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        using var response = await t.Operator.SendRawAsync(HttpMethod.Post, "/api/v1/alarm-rules",
            json.Replace("\"machineTypeId\": 1", $"\"machineTypeId\": {plant.TypeId}", StringComparison.Ordinal).Replace("\"machineId\": 1", $"\"machineId\": {plant.MachineId}", StringComparison.Ordinal));

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest, problem);
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/alarm-rules"));
    }

    public sealed class OnSqlite(SqliteHost host) : AlarmRulesApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : AlarmRulesApiTests(host), IClassFixture<PostgresHost>;
}
