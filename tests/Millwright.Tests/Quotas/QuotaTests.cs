using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Quotas;

/// <summary>
/// Every per-tenant quota refuses the N+1-th of what it counts, names itself in the refusal, and counts one
/// tenant only; on both stores where rows are counted. The limits are those of <see cref="SmallQuotas"/>.
/// </summary>
public abstract class QuotaTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task The_machine_quota_refuses_the_next_machine_with_403_naming_the_quota()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = "second" }, HttpStatusCode.Created);

        var problem = await HttpAssertions.AssertProblemAsync(
            await t.Operator.PostAsJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = "third" }),
            HttpStatusCode.Forbidden, "'machines' quota is 2");
        Assert.Equal("machines", problem["quota"]!.GetValue<string>());
        Assert.Equal(2, (await t.Viewer.ListAsync("/api/v1/machines")).Count);

        // Another tenant's machines are its own count.
        using var other = await Host.CreateTenantAsync();
        await Plant.CreateAsync(other);
    }

    [Fact]
    public async Task The_api_key_quota_counts_keys_not_revoked()
    {
        using var t = await Host.CreateTenantAsync();
        var fourth = await t.Admin.PostJsonAsync("/api/v1/api-keys", new { name = "fourth", role = "viewer" }, HttpStatusCode.Created);

        var problem = await HttpAssertions.AssertProblemAsync(
            await t.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "fifth", role = "viewer" }), HttpStatusCode.Forbidden, "'api-keys' quota is 4");
        Assert.Equal("api-keys", problem["quota"]!.GetValue<string>());

        await t.Admin.DeleteAsync($"/api/v1/api-keys/{fourth["id"]!.GetValue<long>()}", HttpStatusCode.NoContent);
        await t.Admin.PostJsonAsync("/api/v1/api-keys", new { name = "fifth", role = "viewer" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_webhook_quota_refuses_the_second_webhook()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "first", url = "https://alarms.example.com/a", secret = "0123456789abcdef0123" }, HttpStatusCode.Created);

        var problem = await HttpAssertions.AssertProblemAsync(
            await t.Admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "second", url = "https://alarms.example.com/b", secret = "0123456789abcdef0123" }),
            HttpStatusCode.Forbidden, "'webhooks' quota is 1");
        Assert.Equal("webhooks", problem["quota"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tag_that_would_pass_the_series_quota_is_refused_over_MQTT_with_0x97_and_over_HTTP_with_403()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var device = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, plant.Username, plant.Secret);
        var topic = $"mw/{t.Slug}/{plant.Marker}-press/telemetry";

        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(device, topic, """{"values": {"power": 1, "a": 1, "b": 2}}""")).ReasonCode);
        var refused = await QuotaMqtt.PublishAsync(device, topic, """{"values": {"c": 3}}""");
        Assert.Equal(ReasonCode.QuotaExceeded, refused.ReasonCode);
        Assert.Contains("'series-per-machine' quota of 3", refused.Properties?.ReasonString, StringComparison.Ordinal);

        // Known series still take values.
        Assert.Equal(ReasonCode.Success, (await QuotaMqtt.PublishAsync(device, topic, """{"values": {"a": 5}}""")).ReasonCode);

        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        var problem = await HttpAssertions.AssertProblemAsync(
            await http.PostAsync("/api/v1/telemetry", new StringContent("""{"values": {"d": 1}}""", Encoding.UTF8, "application/json")),
            HttpStatusCode.Forbidden, "series-per-machine");
        Assert.Equal("series-per-machine", problem["quota"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_quota_list_shows_each_limit_and_the_tenants_own_use()
    {
        using var t = await Host.CreateTenantAsync();
        await Plant.CreateAsync(t);
        using var other = await Host.CreateTenantAsync();
        await Plant.CreateAsync(other);
        await using var watcher = await QuotaMqtt.ConnectAsync(Host, MqttProtocolVersion.V500, "dashboard", t.ViewerKey);

        var quotas = (await t.Viewer.GetJsonAsync("/api/v1/quotas"))["quotas"]!.AsArray().ToDictionary(q => q!["name"]!.GetValue<string>());

        Assert.Equal(Millwright.Api.QuotaOptions.Names.Count, quotas.Count);
        Assert.Equal(2, quotas["machines"]!["limit"]!.GetValue<long>());
        Assert.Equal(1, quotas["machines"]!["used"]!.GetValue<long>());
        Assert.Equal(3, quotas["api-keys"]!["used"]!.GetValue<long>());
        Assert.Equal(1, quotas["mqtt-connections"]!["used"]!.GetValue<long>());
        Assert.Null(quotas["publish-rate"]!["used"]);
        Assert.Equal(0, quotas["ideas"]!["used"]!.GetValue<long>());
    }

    public sealed class OnSqlite(SmallQuotaSqliteHost host) : QuotaTests(host), IClassFixture<SmallQuotaSqliteHost>;

    public sealed class OnPostgres(SmallQuotaPostgresHost host) : QuotaTests(host), IClassFixture<SmallQuotaPostgresHost>;
}
