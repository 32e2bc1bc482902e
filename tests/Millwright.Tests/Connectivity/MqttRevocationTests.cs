using System.Diagnostics;
using System.Net;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Tests.Harness;
using Xunit.Abstractions;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// Access ends for MQTT when it ends in the store: a revoked key or credential, a deleted machine or tenant,
/// a renamed tenant slug each close the connections that depended on it (5.0: DISCONNECT 0x87), and drop
/// their sessions, with real third-party clients as the subscribers. The product aims at 2 s; the tests wait
/// generously and print the latency they saw instead of asserting a wall-clock bound.
/// </summary>
public abstract class MqttRevocationTests(HostFixture fixture, ITestOutputHelper output)
{
    public enum Change
    {
        RevokeKey,
        RevokeCredential,
        DeleteMachine,
        DeleteTenantOfKey,
        DeleteTenantOfDevice,
        RenameSlugOfKey,
        RenameSlugOfDevice,
    }

    public enum Peer
    {
        MosquittoSub311,
        MosquittoSub5,
        Paho311,
        Paho5,
    }

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    public static TheoryData<Change, Peer> Cases()
    {
        var cases = new TheoryData<Change, Peer>();
        foreach (var change in Enum.GetValues<Change>())
        {
            foreach (var peer in Enum.GetValues<Peer>())
            {
                cases.Add(change, peer);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_subscriber_loses_its_connection_and_session_when_its_access_ends(Change change, Peer peer)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var machine = $"{plant.Marker}-press";
        var asDevice = change is Change.RevokeCredential or Change.DeleteMachine or Change.DeleteTenantOfDevice or Change.RenameSlugOfDevice;
        var (user, password, filter, topic) = asDevice
            ? (plant.Username, plant.Secret, $"mw/{t.Slug}/{machine}/cmd", $"mw/{t.Slug}/{machine}/cmd")
            : ("viewer", t.ViewerKey, $"mw/{t.Slug}/#", $"mw/{t.Slug}/{machine}/telemetry");
        var clientId = $"rev-{Guid.NewGuid():N}"[..20];
        var server = Host.Service<MqttServer>();

        await using var subscriber = await PeerSubscriber.StartAsync(peer, Host.MqttPort, clientId, user, password, filter);
        server.Publish(topic, "before"u8.ToArray(), QualityOfService.AtLeastOnce);
        await subscriber.WaitForMessageAsync("before");
        var original = server.Clients.Single(c => c.ClientId == clientId);

        var clock = Stopwatch.StartNew();
        var dropped = Task.Run(async () =>
        {
            await EventuallyAsync(() => !server.Clients.Contains(original), "the server dropped the client's session");
            return clock.Elapsed;
        });
        await MakeChangeAsync(change, t, plant);
        var reason = await subscriber.WaitForDisconnectAsync(Generous);
        var clientSaw = clock.Elapsed;
        var serverDropped = await dropped;

        // A 3.1.1 client's view is when it noticed the close (mosquitto_sub: its reconnect a second later).
        output.WriteLine($"{change} / {peer}: session dropped and socket closed after {serverDropped.TotalMilliseconds:0} ms, client reported it after {clientSaw.TotalMilliseconds:0} ms (from sending the REST request)");
        if (peer is Peer.MosquittoSub5 or Peer.Paho5)
        {
            Assert.Equal((int)ReasonCode.NotAuthorized, reason);
        }
    }

    private async Task MakeChangeAsync(Change change, TestTenant t, Plant plant)
    {
        using var platform = Host.Platform();
        switch (change)
        {
            case Change.RevokeKey:
                var keys = await t.Admin.GetJsonAsync("/api/v1/api-keys");
                var viewer = keys["items"]!.AsArray().Single(k => k!["role"]!.GetValue<string>() == "viewer")!;
                await t.Admin.DeleteAsync($"/api/v1/api-keys/{viewer.Id()}", HttpStatusCode.NoContent);
                break;
            case Change.RevokeCredential:
                await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}/credentials/{plant.CredentialId}", HttpStatusCode.NoContent);
                break;
            case Change.DeleteMachine:
                await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}", HttpStatusCode.NoContent);
                break;
            case Change.DeleteTenantOfKey or Change.DeleteTenantOfDevice:
                await platform.DeleteAsync($"/api/v1/tenants/{t.Id}", HttpStatusCode.NoContent);
                break;
            case Change.RenameSlugOfKey or Change.RenameSlugOfDevice:
                var slug = $"r-{Guid.NewGuid():N}"[..20];
                await platform.PutJsonAsync($"/api/v1/tenants/{t.Id}", new { slug, name = $"Tenant {slug}" }, HttpStatusCode.OK);
                break;
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Generous, $"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }

    public sealed class OnSqlite(MqttSqliteHost host, ITestOutputHelper output) : MqttRevocationTests(host, output), IClassFixture<MqttSqliteHost>;

    public sealed class OnPostgres(MqttPostgresHost host, ITestOutputHelper output) : MqttRevocationTests(host, output), IClassFixture<MqttPostgresHost>;
}
