using System.Net;
using System.Net.WebSockets;
using System.Text;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>Logins that are refused, and clients that break the protocol: each ends with a close that says why.</summary>
public abstract partial class LiveFeedTests
{
    [Fact]
    public async Task A_connection_that_sends_no_key_is_closed_with_policy_violation()
    {
        await using var live = await LiveClient.ConnectAsync(Host, headerKey: null);

        Assert.Empty(await live.ReceiveCloseAsync());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("no API key", live.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subscription_before_a_key_is_closed_with_policy_violation()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var live = await LiveClient.ConnectAsync(Host, headerKey: null);

        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);

        Assert.Empty(await live.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("first message must be {\"key\"", live.CloseReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_wrong_key_is_closed_with_policy_violation(bool inHeader)
    {
        using var t = await Host.CreateTenantAsync();
        var wrong = t.ViewerKey[..^4] + "aaaa";
        await using var live = await LiveClient.ConnectAsync(Host, inHeader ? wrong : null);
        if (!inHeader)
        {
            await live.SendAsync($$"""{"key": "{{wrong}}"}""");
        }

        Assert.Empty(await live.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("unknown or revoked", live.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_and_revoking_a_watching_key_closes_its_connection()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var viewerKeyId = (await t.Admin.ListAsync("/api/v1/api-keys")).Single(k => k!["role"]!.GetValue<string>() == "viewer")!.Id();
        await using var watching = await LiveClient.LoginAsync(Host, t.ViewerKey);
        await watching.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await watching.ReceiveUntilAsync(m => m["snapshot"] is not null);

        await t.Admin.DeleteAsync($"/api/v1/api-keys/{viewerKeyId}", HttpStatusCode.NoContent);

        // The connection checks its key again on its refresh (every 200 ms here).
        await watching.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, watching.CloseStatus);
        Assert.Contains("unknown or revoked", watching.CloseReason, StringComparison.Ordinal);
        await using var again = await LiveClient.ConnectAsync(Host, t.ViewerKey);
        Assert.Empty(await again.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, again.CloseStatus);
    }

    [Fact]
    public async Task The_platform_key_is_refused_because_it_has_no_tenant()
    {
        await using var live = await LiveClient.ConnectAsync(Host, Host.PlatformKey);

        Assert.Empty(await live.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("platform key", live.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_in_the_URL_is_refused_even_when_it_is_valid()
    {
        using var t = await Host.CreateTenantAsync();
        await using var live = await LiveClient.ConnectAsync(Host, headerKey: null, query: "?key=" + t.ViewerKey);

        Assert.Empty(await live.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("not accepted in the URL", live.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_HTTP_on_the_live_route_is_told_to_use_a_WebSocket()
    {
        using var t = await Host.CreateTenantAsync();

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/live", null, HttpStatusCode.BadRequest, "WebSocket endpoint");
        using var anonymous = Host.Client(null);
        await anonymous.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/live", null, HttpStatusCode.Unauthorized, "API key is required");
    }

    [Fact]
    public async Task Malformed_requests_get_an_error_each_and_repeated_abuse_closes_the_connection()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);

        await live.SendAsync("""{"subscribe": {"machines": [1""");
        Assert.Contains("malformed JSON", (await live.ReceiveAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        await live.SendAsync($$$"""{"subscribe": {"machines": [{{{plant.MachineId}}}], "robots": [1]}}""");
        Assert.Contains("unknown field 'robots'", (await live.ReceiveAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // A good request in between is still served: errors do not poison the connection.
        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);

        await live.SendAsync([0x01, 0x02], WebSocketMessageType.Binary);
        var last = await live.ReceiveCloseAsync();

        Assert.Contains("JSON text", Assert.Single(last)["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.CloseStatus);
        Assert.Contains("3 bad messages", live.CloseReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_message_over_16_KiB_closes_the_connection_with_1009(bool loggedIn)
    {
        using var t = await Host.CreateTenantAsync();
        await using var live = loggedIn ? await LiveClient.LoginAsync(Host, t.ViewerKey) : await LiveClient.ConnectAsync(Host, null);
        var ids = string.Join(",", Enumerable.Repeat("1", 8200));

        await live.SendAsync(Encoding.UTF8.GetBytes($$$"""{"subscribe": {"machines": [{{{ids}}}]}}"""));

        Assert.Empty(await live.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, live.CloseStatus);
        Assert.Contains("16384 bytes", live.CloseReason, StringComparison.Ordinal);
    }
}
