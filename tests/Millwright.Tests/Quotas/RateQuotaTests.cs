using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Millwright.Api;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Quotas;

/// <summary>
/// Rate quotas on a host whose clock stands still unless the test moves it, so a bucket refills only when the
/// test says: the connect rate refuses with 0x9F, the HTTP telemetry rate answers 429 with Retry-After.
/// </summary>
public sealed class RateQuotaTests
{
    private static Task<TestHost> StartAsync(ManualClock clock) => TestHost.StartAsync(postgres: false, mqtt: true, clock: clock,
        configure: o => o with { Quotas = QuotaOptions.Default with { MqttConnectRate = 1, PublishRate = 2 } });

    [Fact]
    public async Task A_connect_over_the_tenants_connect_rate_is_refused_with_0x9F_until_time_passes()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(clock);
        using var t = await host.CreateTenantAsync();
        await using var first = await QuotaMqtt.ConnectAsync(host, MqttProtocolVersion.V500, "watch", t.ViewerKey);

        var (second, refusal) = await QuotaMqtt.TryConnectAsync(host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
        await using (second)
        {
            Assert.Equal(ReasonCode.ConnectionRateExceeded, refusal.ReasonCode);
            Assert.Contains("connection rate quota (1/s)", refusal.Properties?.ReasonString, StringComparison.Ordinal);
        }

        // A refused connect spent no token: one second later the next one is admitted.
        clock.Advance(TimeSpan.FromSeconds(1));
        await using var third = await QuotaMqtt.ConnectAsync(host, MqttProtocolVersion.V500, "watch", t.ViewerKey);
    }

    [Fact]
    public async Task HTTP_telemetry_over_the_publish_rate_gets_429_with_Retry_After_naming_the_quota()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(clock);
        using var t = await host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        Task<HttpResponseMessage> Send() => http.PostAsync("/api/v1/telemetry", new StringContent("""{"values": {"power": 1}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, (await Send()).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send()).StatusCode);
        var third = await Send();
        var problem = await HttpAssertions.AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "'publish-rate' quota");
        Assert.Equal("publish-rate", problem["quota"]!.GetValue<string>());
        Assert.Equal("1", third.Headers.GetValues("Retry-After").Single());

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, (await Send()).StatusCode);
    }

    [Theory]
    [InlineData("machines", "--quota takes NAME=VALUE")]
    [InlineData("cows=3", "--quota takes NAME=VALUE")]
    [InlineData("machines=0", "from 1 to")]
    [InlineData("machines=-4", "from 1 to")]
    [InlineData("api-keys=3000000000", "from 1 to")]
    public void A_bad_quota_option_is_refused_with_a_message_naming_it(string assignment, string message)
    {
        var (options, error) = QuotaOptions.Default.With(assignment);
        Assert.Null(options);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quota_option_sets_that_quota_only()
    {
        var (options, error) = QuotaOptions.Default.With("retained-bytes=5000000000");
        Assert.Null(error);
        Assert.Equal(5_000_000_000, options!.RetainedBytes);
        Assert.Equal(QuotaOptions.Default with { RetainedBytes = 5_000_000_000 }, options);
    }
}
