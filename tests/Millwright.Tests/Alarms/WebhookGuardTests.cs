using System.Net;
using Millwright.Features.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Alarms;

/// <summary>The platform's rule for where webhooks may go, alone and at delivery time.</summary>
public sealed class WebhookGuardTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", false)]
    [InlineData("http://[::ffff:169.254.169.254]/", false)]
    [InlineData("https://[fe80::1]/", false)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("https://10.1.2.3/hook", true)]
    [InlineData("https://hooks.example.com/x", true)]
    [InlineData("gopher://10.1.2.3/", false)]
    public void By_default_every_address_but_link_local_is_allowed(string url, bool allowed) =>
        Assert.Equal(allowed, new WebhookGuard(new AlarmOptions()).Refuse(url) is null);

    [Fact]
    public void An_allow_list_admits_only_its_networks_and_host_names()
    {
        var guard = new WebhookGuard(new AlarmOptions { WebhookAllowedHosts = ["10.0.0.0/8", "192.168.1.5", "hooks.example.com"] });

        Assert.Null(guard.Refuse("http://10.200.0.1/hook"));
        Assert.Null(guard.Refuse("http://192.168.1.5/hook"));
        Assert.Contains("not allowed", guard.Refuse("http://192.168.1.6/hook"), StringComparison.Ordinal);
        Assert.Contains("not allowed", guard.Refuse("http://127.0.0.1/hook"), StringComparison.Ordinal);
        Assert.True(guard.Allows("hooks.example.com", IPAddress.Parse("203.0.113.7")));
        Assert.False(guard.Allows("other.example.com", IPAddress.Parse("203.0.113.7")));
        Assert.True(guard.Allows("other.example.com", IPAddress.Parse("10.9.9.9")));
    }

    [Fact]
    public void A_names_only_allow_list_refuses_other_names_when_saved()
    {
        var guard = new WebhookGuard(new AlarmOptions { WebhookAllowedHosts = ["hooks.example.com"] });

        Assert.Null(guard.Refuse("https://HOOKS.example.com/x"));
        Assert.Contains("host 'evil.example.com' is not allowed", guard.Refuse("https://evil.example.com/x"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_that_resolves_outside_the_allow_list_is_refused_when_the_delivery_connects()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(postgres: false,
            configure: o => o with { Alarms = new AlarmOptions { WebhookAllowedHosts = ["10.0.0.0/8"] } });
        using var kit = await AlarmKit.CreateAsync(host);
        var url = $"http://localhost:{receiver.Url.Port}/hook";
        var hook = await kit.Tenant.Admin.PostJsonAsync("/api/v1/webhooks", new { name = "sneaky", url, secret = "0123456789abcdef0123" }, HttpStatusCode.Created);
        await kit.Tenant.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/webhooks",
            new { name = "direct", url = receiver.Url.ToString(), secret = "0123456789abcdef0123" }, HttpStatusCode.BadRequest, "not allowed");
        await kit.RuleAsync(new { name = "hot", machineTypeId = kit.Plant.TypeId, tag = "temp", kind = "threshold", direction = "high", limit = 80, severity = "high", message = "hot" });

        await kit.SendAsync(new { temp = 90 });

        var deliveries = await Eventually.ValueAsync(
            async () => (await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/webhooks/{hook.Id()}/deliveries")).AsArray(),
            d => d.Count > 0, "a delivery attempt to be recorded");
        Assert.Contains("no address of 'localhost' is allowed", deliveries[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Empty(receiver.Requests);
    }
}
