using System.Net;
using System.Net.Http.Json;
using Millwright.Api;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Makerspace;

/// <summary>
/// The anonymous register route's rates, on a host whose clock stands still unless the test moves it: per client
/// address (every attempt, before the token is looked up) and per invitation, each answered 429 with Retry-After and
/// problem details naming the limit; a refused attempt registers nobody and uses nothing of the invitation.
/// </summary>
public sealed class RegistrationRateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Registrations_over_the_invitation_or_address_rate_get_429_naming_the_limit_and_change_nothing(bool postgres)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(postgres, clock: clock,
            configure: o => o with { Quotas = QuotaOptions.Default with { RegisterRateAddress = 4, RegisterRateInvitation = 2 } });
        using var t = await host.CreateTenantAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var first = await t.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { uses = 10 }, HttpStatusCode.Created);
        var second = await t.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { uses = 10 }, HttpStatusCode.Created);
        Task<HttpResponseMessage> Register(string invitation, string name) =>
            anonymous.PostAsJsonAsync("/api/v1/makerspace/register", new { invitation, name, email = $"{name}@example.org" }, TestHost.Json);
        var a = first["token"]!.GetValue<string>();
        var b = second["token"]!.GetValue<string>();

        // Two a minute with one invitation: the third waits 30 s for the next.
        Assert.Equal(HttpStatusCode.OK, (await Register(a, "ann")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Register(a, "bob")).StatusCode);
        var refused = await Register(a, "cy");
        var problem = await HttpAssertions.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "'register-rate-invitation' limit");
        Assert.Equal("register-rate-invitation", problem["quota"]!.GetValue<string>());
        Assert.Equal("30", refused.Headers.GetValues("Retry-After").Single());

        // Four attempts a minute from one address, whatever the invitation and whether it exists: the fifth waits 15 s.
        Assert.Equal(HttpStatusCode.OK, (await Register(b, "dee")).StatusCode);
        foreach (var token in new[] { b, "mwi_nosuchtoken" })
        {
            var tooMany = await Register(token, "eve");
            problem = await HttpAssertions.AssertProblemAsync(tooMany, HttpStatusCode.TooManyRequests, "'register-rate-address' limit");
            Assert.Equal("register-rate-address", problem["quota"]!.GetValue<string>());
            Assert.Equal("15", tooMany.Headers.GetValues("Retry-After").Single());
        }

        // Nobody was registered by a refused attempt and the invitations counted only what registered.
        var participants = (await t.Admin.GetJsonAsync("/api/v1/makerspace/participants")).AsArray();
        Assert.Equal(new[] { "ann", "bob", "dee" }, participants.Select(p => p!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var used = (await t.Admin.GetJsonAsync("/api/v1/makerspace/invitations")).AsArray().ToDictionary(i => i!.Id(), i => i!["used"]!.GetValue<long>());
        Assert.Equal(2, used[first["invitation"]!.Id()]);
        Assert.Equal(1, used[second["invitation"]!.Id()]);

        // After the waits both buckets have a token again.
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await Register(a, "fay")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Register(b, "gus")).StatusCode);
    }
}
