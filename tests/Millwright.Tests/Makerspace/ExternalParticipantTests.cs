using System.Net;
using System.Net.WebSockets;
using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Makerspace;

public abstract class ExternalParticipantTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    /// <summary>Opens the tenant's makerspace and registers one participant; returns their client and key id.</summary>
    internal static async Task<(HttpClient Client, string Key, long KeyId, long ParticipantId)> RegisterAsync(TestHost host, TestTenant t, string email = "maker@example.org")
    {
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var registered = await t.Admin.PostJsonAsync("/api/v1/makerspace/participants", new { name = "Mia Maker", email }, HttpStatusCode.Created);
        var key = registered["key"]!.GetValue<string>();
        return (host.Client(key), key, registered["participant"]!["keyId"]!.GetValue<long>(), registered["participant"]!.Id());
    }

    [Fact]
    public async Task A_participant_contributes_while_the_makerspace_is_open_and_is_credited_when_the_idea_is_accepted()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/participants", new { name = "Early", email = "early@example.org" }, HttpStatusCode.Conflict, "closed");
        var (maker, _, makerKey, participantId) = await RegisterAsync(Host, t);
        using var _ = maker;

        var idea = await MakerspaceTests.ProposeAsync(maker, "Modular dishwasher rack", "Racks that clip together for tall pots.", ["dishwasher"]);
        Assert.True(idea["author"]!["external"]!.GetValue<bool>());
        await t.Operator.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/comments", new { body = "Which pot sizes?" }, HttpStatusCode.Created);
        await maker.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/comments", new { body = "Up to 30 cm." }, HttpStatusCode.Created);
        await maker.PutJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/vote", new { }, HttpStatusCode.OK);

        // Participants take no decisions and do not moderate.
        await maker.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "under_review" }, HttpStatusCode.Forbidden, "participant");
        await maker.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/makerspace/reports", null, HttpStatusCode.Forbidden, "participant");

        await t.Operator.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "under_review" }, HttpStatusCode.OK);
        await t.Admin.PostJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/status", new { status = "accepted", project = "Rack 2" }, HttpStatusCode.OK);
        var contributors = (await maker.GetJsonAsync($"/api/v1/makerspace/ideas/{idea.Id()}/contributors")).AsArray();
        var author = contributors[0]!;
        Assert.Equal(makerKey, author["keyId"]!.GetValue<long>());
        Assert.True(author["external"]!.GetValue<bool>());
        Assert.True(author["authored"]!.GetValue<bool>());
        Assert.Equal(1, author["comments"]!.GetValue<long>());
        Assert.Equal(2, contributors.Count);
        Assert.False(contributors[1]!["external"]!.GetValue<bool>());

        // Closing the makerspace shuts participants out; removing one revokes their key.
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = false }, HttpStatusCode.OK);
        await maker.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/makerspace/ideas", null, HttpStatusCode.Forbidden, "closed");
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        Assert.Single(await maker.ListAsync("/api/v1/makerspace/ideas"));
        await t.Admin.DeleteAsync($"/api/v1/makerspace/participants/{participantId}", HttpStatusCode.NoContent);
        using var gone = await maker.GetAsync("/api/v1/makerspace/ideas");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task A_participant_key_is_issued_only_by_registration_and_opens_nothing_but_the_makerspace()
    {
        using var t = await Host.CreateTenantAsync();
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "sneaky", role = "participant" }, HttpStatusCode.BadRequest, "participant keys are issued by registering");
        var (maker, key, _, _) = await RegisterAsync(Host, t);
        using var _ = maker;

        foreach (var path in new[] { "/api/v1/machines", "/api/v1/sites", "/api/v1/api-keys", "/api/v1/audit", "/api/v1/quotas", "/api/v1/orders", "/api/v1/alarms", "/api/v1/makerspace/participants" })
        {
            using var response = await maker.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
        }

        // The broker refuses the key as an MQTT login (any tenant key may otherwise watch the tenant's topics).
        await using (var mqtt = new RawMqttClient(MqttProtocolVersion.V500))
        {
            await mqtt.ConnectAsync(Host.MqttPort);
            await mqtt.SendAsync(new ConnectPacket
            {
                ProtocolVersion = MqttProtocolVersion.V500, ClientId = "maker", KeepAliveSeconds = 30, UserName = "maker", Password = Encoding.UTF8.GetBytes(key),
            });
            var connAck = Assert.IsType<ConnAckPacket>(await mqtt.ReceiveAsync());
            Assert.Equal(ReasonCode.NotAuthorized, connAck.ReasonCode);
        }

        // So does the live feed.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", key);
        await socket.ConnectAsync(new Uri($"ws://{Host.BaseAddress.Authority}/api/v1/live"), CancellationToken.None);
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Contains("makerspace", socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    public sealed class OnSqlite(MakerspaceSqliteHost host) : ExternalParticipantTests(host), IClassFixture<MakerspaceSqliteHost>;

    public sealed class OnPostgres(MakerspacePostgresHost host) : ExternalParticipantTests(host), IClassFixture<MakerspacePostgresHost>;
}
