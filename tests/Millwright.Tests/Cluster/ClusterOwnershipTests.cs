using Millwright.Features.Cluster;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Membership and bucket ownership on PostgreSQL: several nodes in one process share one database and one
/// manual clock; the single-owner invariant is checked after every step (<see cref="ClusterHarness.AssertSingleOwnerAsync"/>).
/// </summary>
public sealed class ClusterOwnershipTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    private readonly ClusterHarness _cluster = new(store.Database);

    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_nodes_give_every_bucket_exactly_one_owner_the_rendezvous_winner()
    {
        var a = await _cluster.JoinAsync("node-a");
        Assert.Equal(1024, a.Leases.Count);
        var b = await _cluster.JoinAsync("node-b");
        await _cluster.AssertSingleOwnerAsync(a, b);

        await ClusterHarness.TickAsync(2, a, b);

        await _cluster.AssertConvergedAsync(a, b);
        Assert.InRange(b.Leases.Count, 400, 624);
    }

    [Fact]
    public async Task A_joining_node_takes_its_share_only_after_the_old_owners_released_it()
    {
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, a, b);
        await _cluster.AssertConvergedAsync(a, b);

        var c = await _cluster.JoinAsync("node-c");
        Assert.Empty(c.Leases);
        await _cluster.AssertSingleOwnerAsync(a, b, c);

        await a.TickAsync();
        await _cluster.AssertSingleOwnerAsync(a, b, c);
        await b.TickAsync();
        await _cluster.AssertSingleOwnerAsync(a, b, c);
        await c.TickAsync();

        await _cluster.AssertConvergedAsync(a, b, c);
        Assert.InRange(c.Leases.Count, 250, 450);
        var handovers = await _cluster.HandoversAsync();
        var toC = handovers.Where(h => h.To == "node-c").ToList();
        Assert.Equal(c.Leases.Count, toC.Count);
        Assert.All(toC, h => Assert.Equal("free", h.Reason));
        Assert.Contains(handovers, h => h.From == "node-a" && h.To is null && h.Reason == "another node is the intended owner");
    }

    [Fact]
    public async Task A_node_that_stops_heartbeating_loses_its_buckets_when_its_lease_runs_out_and_the_survivors_take_them()
    {
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        var c = await _cluster.JoinAsync("node-c");
        await ClusterHarness.TickAsync(2, a, b, c);
        await _cluster.AssertConvergedAsync(a, b, c);
        var died = _cluster.Clock.Now;
        var share = c.Leases.Count;

        // c is dead: only a and b tick, once a second, and the invariant holds at every step, c's stale view included.
        while (c.Leases.Count > 0 || a.Leases.Count + b.Leases.Count < 1024)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await ClusterHarness.TickAsync(1, a, b);
            await _cluster.AssertSingleOwnerAsync(a, b, c);
            Assert.True(_cluster.Clock.Now - died <= TimeSpan.FromSeconds(5), "the survivors took longer than 5 s");
        }

        await _cluster.AssertConvergedAsync(a, b);
        Assert.Equal(["node-a", "node-b"], a.LiveNodes);
        Assert.Equal(share, (await _cluster.HandoversAsync()).Count(h => h.From == "node-c" && h.Reason == "expired"));
    }

    [Fact]
    public async Task Graceful_leave_hands_over_at_once_without_waiting_for_expiry()
    {
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        var c = await _cluster.JoinAsync("node-c");
        await ClusterHarness.TickAsync(2, a, b, c);

        await b.LeaveAsync();
        Assert.Empty(b.Leases);
        await _cluster.AssertSingleOwnerAsync(a, b, c);
        await ClusterHarness.TickAsync(1, a, c);

        await _cluster.AssertConvergedAsync(a, c);
        Assert.Equal(["node-a", "node-c"], c.LiveNodes);
        var handovers = await _cluster.HandoversAsync();
        Assert.Contains(handovers, h => h.From == "node-b" && h.To is null && h.Reason == "node left");
    }

    [Fact]
    public async Task A_paused_node_that_resumes_finds_its_leases_lost_and_rejoins_for_its_share()
    {
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, a, b);

        for (var i = 0; i < 6; i++)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await a.TickAsync();
            await _cluster.AssertSingleOwnerAsync(a, b);
        }

        Assert.Equal(1024, a.Leases.Count);
        await b.TickAsync();
        Assert.Empty(b.Leases);
        await ClusterHarness.TickAsync(2, a, b);

        await _cluster.AssertConvergedAsync(a, b);
    }

    [Fact]
    public async Task A_node_of_another_cluster_name_refuses_a_store_in_use_and_joins_once_that_cluster_has_left()
    {
        var a = await _cluster.JoinAsync("node-a");
        var other = new ClusterHarness(store.Database);

        var refused = await Assert.ThrowsAsync<ClusterMismatchException>(() => other.JoinAsync("node-x"));
        Assert.Contains($"in use by another cluster: {_cluster.Name} (node node-a)", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"a node of cluster '{other.Name}' does not join it", refused.Message, StringComparison.Ordinal);

        // A name that merely starts with it is another cluster, not one of its roles.
        var dotted = new ClusterNode(store.Database, new ClusterOptions(_cluster.Name + ".2", "node-y"), _cluster.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterNode>.Instance);
        await Assert.ThrowsAsync<ClusterMismatchException>(() => dotted.JoinAsync());

        // Its role cluster ("NAME.ingest") is the same cluster: it joins beside it.
        var ingest = new ClusterNode(store.Database, new ClusterOptions(_cluster.Name, "node-a") with { Name = _cluster.Name + ".ingest", Buckets = 1 }, _cluster.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterNode>.Instance);
        await ingest.JoinAsync();
        Assert.Single(ingest.Leases);

        await ingest.LeaveAsync();
        await a.LeaveAsync();
        var x = await other.JoinAsync("node-x");
        Assert.Equal(1024, x.Leases.Count);
    }

    [Fact]
    public async Task A_single_node_refuses_a_store_a_live_cluster_uses_and_starts_once_the_cluster_has_left()
    {
        var a = await _cluster.JoinAsync("node-a");

        var refused = await Assert.ThrowsAsync<ClusterMismatchException>(() => ClusterNode.RefuseIfClusteredAsync(store.Database, _cluster.Clock, CancellationToken.None));
        Assert.Contains($"in use by cluster {_cluster.Name} (node node-a)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster NAME --amqp URL", refused.Message, StringComparison.Ordinal);

        // A node that left, or one whose heartbeat is older than the node timeout (killed), no longer holds the store.
        await a.LeaveAsync();
        await ClusterNode.RefuseIfClusteredAsync(store.Database, _cluster.Clock, CancellationToken.None);
        var b = await _cluster.JoinAsync("node-b");
        _cluster.Clock.Advance(ClusterOptions.DefaultNodeTimeout + TimeSpan.FromSeconds(1));
        await ClusterNode.RefuseIfClusteredAsync(store.Database, _cluster.Clock, CancellationToken.None);
        await b.LeaveAsync();
    }
}
