using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>Webhooks against a real HTTP receiver: signed deliveries, retries with back-off on the test's clock, dead receivers, SSRF refusals.</summary>
public abstract class WebhookTests(ClockedHost fixture)
{
    private const string Secret = "a-very-secret-webhook-key";

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Raising_an_alarm_delivers_a_signed_post_to_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await AlarmKit.CreateAsync(Host);
        var hook = await kit.Tenant.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "pager", url = receiver.Url.ToString(), secret = Secret, severities = new[] { "high", "critical" } }, HttpStatusCode.Created);
        Assert.Null(hook["secret"]);
        Assert.DoesNotContain(Secret, (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/webhooks/{hook.Id()}")).ToJsonString(), StringComparison.Ordinal);

        var alarm = await RaiseAsync(kit, "high");

        var request = await WaitForAsync(receiver, 1);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("alarm.raised", body["event"]!.GetValue<string>());
        Assert.Equal("alarm.raised", request.Headers["X-Millwright-Event"]);
        Assert.Equal(alarm.Id(), body["alarm"]!["id"]!.GetValue<long>());
        Assert.Equal("high", body["alarm"]!["severity"]!.GetValue<string>());
        Assert.Equal($"{kit.Plant.Marker}-press", body["alarm"]!["machine"]!.GetValue<string>());
        var timestamp = request.Headers["X-Millwright-Timestamp"];
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + request.Body))).ToLowerInvariant();
        Assert.Equal(expected, request.Headers["X-Millwright-Signature"]);
        var now = fixture.Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), now - 5, now);

        var deliveries = await WaitForDeliveriesAsync(kit, hook.Id(), d => d.Count == 1);
        Assert.Equal("delivered", deliveries[0]!["outcome"]!.GetValue<string>());
        Assert.Equal(200, deliveries[0]!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_receiver_failing_twice_is_retried_with_back_off_until_it_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        using var kit = await AlarmKit.CreateAsync(Host);
        var hook = await kit.Tenant.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "flaky", url = receiver.Url.ToString(), secret = Secret }, HttpStatusCode.Created);

        await RaiseAsync(kit, "low");

        // Retries wait 1 s, then 2 s on the app's clock; move it until the third attempt has been recorded.
        var deliveries = await WaitForDeliveriesAsync(kit, hook.Id(), d => d.Count == 3, advance: true);
        Assert.Equal(["retrying", "retrying", "delivered"], deliveries.Select(d => d!["outcome"]!.GetValue<string>()));
        Assert.Equal([500, 500, 200], deliveries.Select(d => d!["statusCode"]!.GetValue<int>()));
        Assert.Equal([1, 2, 3], deliveries.Select(d => d!["attempt"]!.GetValue<int>()));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Headers["X-Millwright-Delivery"]).Distinct());
    }

    [Fact]
    public async Task A_dead_receiver_does_not_hold_up_ingest_or_alarms()
    {
        var port = ClosedPort();
        using var kit = await AlarmKit.CreateAsync(Host);
        var hook = await kit.Tenant.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "dead", url = $"http://127.0.0.1:{port}/hook", secret = Secret }, HttpStatusCode.Created);
        await kit.RuleAsync(new { name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high", limit = 80, severity = "high", message = "hot" });

        for (var i = 0; i < 20; i++)
        {
            await kit.SendAsync(new { temp = i % 2 == 0 ? 90 : 10 });
        }

        await kit.SyncAsync();
        var alarm = await kit.WaitForAlarmAsync(_ => true, "raised");
        await Eventually.ValueAsync(() => kit.EventKindsAsync(alarm.Id()), kinds => kinds.Length >= 20, "the writer to record all 20 transitions");

        Assert.Equal("rtn_unack", (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/alarms/{alarm.Id()}"))["state"]!.GetValue<string>());

        var deliveries = await WaitForDeliveriesAsync(kit, hook.Id(), d => d.Count > 0);
        Assert.All(deliveries, d => Assert.Null(d!["statusCode"]));
        Assert.All(deliveries, d => Assert.False(string.IsNullOrEmpty(d!["error"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud metadata address, refused by the platform's egress policy")]
    [InlineData("http://[fe80::1]/hook", "link-local address, refused by the platform's egress policy")]
    [InlineData("ftp://example.com/hook", "scheme 'ftp'")]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("http://user:pw@example.com/hook", "credentials")]
    [InlineData("/relative", "not allowed")]
    public async Task A_webhook_url_the_platform_refuses_gets_a_problem_and_stores_nothing(string url, string problem)
    {
        using var t = await Host.CreateTenantAsync();

        var body = await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "evil", url, secret = Secret }, HttpStatusCode.BadRequest, problem);

        Assert.NotNull(body["errors"]!["url"]);
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/webhooks"));
    }

    [Fact]
    public async Task Webhooks_refuse_bad_secrets_and_severities_and_only_admins_write_them()
    {
        using var t = await Host.CreateTenantAsync();
        const string url = "http://127.0.0.1:9/hook";

        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "a", url }, HttpStatusCode.BadRequest, "secret");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "a", url, secret = "short" }, HttpStatusCode.BadRequest, "secret");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "a", url, secret = Secret, severities = new[] { "dire" } }, HttpStatusCode.BadRequest, "severities");
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "a", url, secret = Secret, severities = Array.Empty<string>() }, HttpStatusCode.BadRequest, "severities");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks", new { name = "a", url, secret = Secret }, HttpStatusCode.Forbidden, "operator");

        var hook = await t.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "a", url, secret = Secret, severities = new[] { "critical", "low" } }, HttpStatusCode.Created);
        Assert.Equal(["low", "critical"], hook["severities"]!.AsArray().Select(s => s!.GetValue<string>()));
        var replaced = await t.Admin.PutJsonAsync($"/api/v1/webhooks/{hook.Id()}", new { name = "b", url = "https://example.com/x", enabled = false }, HttpStatusCode.OK);
        Assert.Equal("b", replaced["name"]!.GetValue<string>());
        Assert.False(replaced["enabled"]!.GetValue<bool>());
        await t.Admin.DeleteAsync($"/api/v1/webhooks/{hook.Id()}", HttpStatusCode.NoContent);
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/webhooks/{hook.Id()}/deliveries", null, HttpStatusCode.NotFound, "no webhook");
    }

    private static async Task<JsonNode> RaiseAsync(AlarmKit kit, string severity)
    {
        await kit.RuleAsync(new { name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high", limit = 80, severity, message = "{machine} hot" });
        await kit.SendAsync(new { temp = 90 });
        return await kit.WaitForAlarmAsync(a => a["state"]!.GetValue<string>() == "active", "raised by 90");
    }

    private static async Task<ReceivedRequest> WaitForAsync(WebhookReceiver receiver, int count)
    {
        await Eventually.ValueAsync(() => receiver.Requests.Count, n => n >= count, $"the receiver to get {count} requests");
        return receiver.Requests.First();
    }

    private Task<JsonArray> WaitForDeliveriesAsync(AlarmKit kit, long hook, Func<JsonArray, bool> done, bool advance = false) =>
        Eventually.ValueAsync(
            async () =>
            {
                var deliveries = (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/webhooks/{hook}/deliveries")).AsArray();
                if (advance && !done(deliveries))
                {
                    // The retry back-off runs on the fake clock: each look moves it on a little.
                    fixture.Clock.Advance(TimeSpan.FromMilliseconds(250));
                }

                return deliveries;
            },
            done, $"the deliveries of webhook {hook}");

    /// <summary>A loopback port nothing listens on: bound once by us, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public sealed class OnSqlite(ClockedSqliteHost host) : WebhookTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : WebhookTests(host), IClassFixture<ClockedPostgresHost>;
}
