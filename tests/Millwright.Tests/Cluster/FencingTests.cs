using Dapper;
using Millwright.Features.Cluster;
using Millwright.Features.States;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The fence on a real per-machine write: the state tracker's state-interval write (<see cref="StateStore.ChangeAsync"/>)
/// made in a transaction that first checks the machine's lease and token, on PostgreSQL.
/// </summary>
public sealed class FencingTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    private readonly ClusterHarness _cluster = new(store.Database);

    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_paused_old_owners_fenced_write_is_refused_after_its_bucket_was_taken_over()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("fence-" + _cluster.Name);
        var a = await _cluster.JoinAsync("node-a");
        var b = await _cluster.JoinAsync("node-b");
        await ClusterHarness.TickAsync(2, a, b);
        var (owner, other) = a.TryGetLease(machine, out _) ? (a, b) : (b, a);
        Assert.False(other.TryGetLease(machine, out _));

        await WriteStateAsync(owner, tenant, machine, "running");
        await Assert.ThrowsAsync<FencedOutException>(() => WriteStateAsync(other, tenant, machine, "idle"));

        // The owner is paused (it read its lease, then stopped) for longer than the lease; the other takes over.
        Assert.True(owner.TryGetLease(machine, out var stale));
        for (var i = 0; i < 5; i++)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await other.TickAsync();
        }

        Assert.True(other.TryGetLease(machine, out var taken));
        Assert.True(taken.Token > stale.Token);

        // Resumed, the old owner writes with the lease it read before the pause: refused, and nothing of it is stored.
        await Assert.ThrowsAsync<FencedOutException>(() => _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await LeaseFence.EnsureAsync(s, _cluster.Name, owner.NodeId, stale, owner.Options.LeaseDuration);
            return await StateStore.ChangeAsync(s, machine, "down", _cluster.Clock.NowMs, null, null);
        }));
        await Assert.ThrowsAsync<FencedOutException>(() => WriteStateAsync(owner, tenant, machine, "down"));

        await WriteStateAsync(other, tenant, machine, "idle");
        Assert.Equal(["running", "idle"], await StatesAsync(tenant, machine));
    }

    [Fact]
    public async Task A_lease_that_ran_out_fences_its_holder_even_before_anyone_took_it_over()
    {
        var (tenant, machine) = await _cluster.CreateMachineAsync("expiry-" + _cluster.Name);
        var a = await _cluster.JoinAsync("node-a");
        Assert.True(a.TryGetLease(machine, out var lease));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<FencedOutException>(() => _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await LeaseFence.EnsureAsync(s, _cluster.Name, a.NodeId, lease, a.Options.LeaseDuration);
            return await StateStore.ChangeAsync(s, machine, "running", _cluster.Clock.NowMs, null, null);
        }));
        Assert.Empty(await StatesAsync(tenant, machine));
    }

    private Task<long> WriteStateAsync(ClusterNode node, long tenant, long machine, string state) =>
        _cluster.Sessions.RunAsync(ClusterHarness.TrackerOf(tenant), async s =>
        {
            await node.FenceAsync(s, machine);
            return await StateStore.ChangeAsync(s, machine, state, _cluster.Clock.NowMs, null, null);
        });

    private async Task<List<string>> StatesAsync(long tenant, long machine)
    {
        await using var c = await _cluster.Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT state FROM machine_states WHERE tenant_id = @tenant AND machine_id = @machine ORDER BY id", new { tenant, machine })).AsList();
    }
}
