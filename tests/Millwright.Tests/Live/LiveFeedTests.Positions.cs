using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>The fleet positions on the live feed: every machine of the tenant that moves, with no subscription per machine.</summary>
public abstract partial class LiveFeedTests
{
    [Fact]
    public async Task A_positions_watcher_gets_every_moving_machine_of_its_tenant_as_columns_and_nothing_of_another_tenant()
    {
        using var a = await Host.CreateTenantAsync();
        var excavator = await Plant.CreateAsync(a);
        var crane = await AddMachineAsync(a, excavator, "crane");
        using var b = await Host.CreateTenantAsync();
        var theirs = await Plant.CreateAsync(b);
        await using var live = await LiveClient.LoginAsync(Host, a.ViewerKey);

        await live.SendAsync("""{"subscribe": {"positions": true}}""");

        var ack = (await live.ReceiveAsync())!;
        Assert.True(ack["subscriptions"]!["positions"]!.GetValue<bool>());
        Assert.Equal(0, ack["covering"]!.GetValue<int>());

        // The other tenant's machine moves first: anything of it would arrive before A's own moves.
        await PostAsync(theirs, """{"values": {"latitude": 1.25, "longitude": 2.25}}""");
        await WaitForLatestAsync(b, theirs.MachineId, "latitude", null);
        await PostAsync(excavator, $$$"""{"ts": {{{Base}}}, "values": {"latitude": 52.52, "longitude": 13.405, "power": 3}}""");
        await PostAsync(crane, $$$"""{"ts": {{{Base + 1000}}}, "values": {"latitude": 48.137}}""");

        var moved = new Dictionary<long, (double? Lat, double? Lon, long Ts)>();
        var received = new List<JsonNode>();
        while (moved.Count < 2)
        {
            var (message, before) = await live.ReceiveUntilAsync(m => m["positions"] is not null);
            received.AddRange(before.Append(message));
            var p = message["positions"]!;
            for (var i = 0; i < p["ids"]!.AsArray().Count; i++)
            {
                moved[p["ids"]![i]!.GetValue<long>()] = (p["latitude"]![i]?.GetValue<double>(), p["longitude"]![i]?.GetValue<double>(), p["ts"]![i]!.GetValue<long>());
            }
        }

        Assert.Equal((52.52, 13.405, Base), moved[excavator.MachineId]);
        // A report with one side leaves the other null: the screen keeps what it had.
        Assert.Equal((48.137, null, Base + 1000), moved[crane.MachineId]);
        Assert.Equal(new[] { crane.MachineId, excavator.MachineId }.Order(), moved.Keys.Order());
        foreach (var message in received)
        {
            Assert.DoesNotContain("1.25", message.ToJsonString(), StringComparison.Ordinal);
            Assert.Null(message["values"]);
        }
    }

    [Fact]
    public async Task A_positions_watcher_gets_state_changes_and_no_moves_once_it_unsubscribed()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var second = await AddMachineAsync(t, plant, "second");
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);
        await live.SendAsync("""{"subscribe": {"positions": true}}""");
        await live.ReceiveAsync();

        // The plant's rule makes it running: the fleet map's colour, without a subscription to the machine.
        await PostAsync(plant, """{"values": {"power": 5, "latitude": 50, "longitude": 8}}""");
        var (state, _) = await live.ReceiveUntilAsync(m => m["state"] is not null);
        Assert.Equal((plant.MachineId, "running"), (state["state"]!["machine"]!.GetValue<long>(), state["state"]!["state"]!.GetValue<string>()));

        await live.SendAsync("""{"unsubscribe": {"positions": true}}""");
        var (ack, _) = await live.ReceiveUntilAsync(m => m["subscriptions"] is not null);
        Assert.False(ack["subscriptions"]!["positions"]!.GetValue<bool>());
        await PostAsync(plant, """{"values": {"latitude": 51, "longitude": 9}}""");
        await WaitForLatestAsync(t, plant.MachineId, "latitude", null);
        await live.SubscribeAsync("subscribe", machines: [second.MachineId]);
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);
        await PostAsync(second, """{"values": {"power": 0.5}}""");

        var (_, before) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, second.MachineId));
        Assert.DoesNotContain(before, m => m["positions"] is not null);
    }
}
