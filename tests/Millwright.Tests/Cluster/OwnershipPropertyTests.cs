namespace Millwright.Tests.Cluster;

/// <summary>
/// Random joins, graceful leaves, deaths (a node stops ticking), resumptions and clock steps, with the
/// single-owner invariant checked after every step, and convergence to the rendezvous owners once things settle.
/// </summary>
public sealed class OwnershipPropertyTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_joins_leaves_and_deaths_never_give_a_bucket_two_owners(int seed)
    {
        var cluster = new ClusterHarness(store.Database, buckets: 64);
        var random = new Random(seed);
        var running = new List<Features.Cluster.ClusterNode> { await cluster.JoinAsync("n0") };
        var paused = new List<Features.Cluster.ClusterNode>();
        var everyone = new List<Features.Cluster.ClusterNode>(running);
        var next = 1;

        for (var step = 0; step < 40; step++)
        {
            switch (random.Next(10))
            {
                case 0 when running.Count + paused.Count < 5:
                    var joined = await cluster.JoinAsync($"n{next++}");
                    running.Add(joined);
                    everyone.Add(joined);
                    break;
                case 1 when running.Count > 1:
                    var leaving = running[random.Next(running.Count)];
                    await leaving.LeaveAsync();
                    running.Remove(leaving);
                    break;
                case 2 when running.Count > 1:
                    var pausing = running[random.Next(running.Count)];
                    running.Remove(pausing);
                    paused.Add(pausing);
                    break;
                case 3 when paused.Count > 0:
                    var resuming = paused[random.Next(paused.Count)];
                    paused.Remove(resuming);
                    running.Add(resuming);
                    break;
                case 4 or 5:
                    cluster.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(200, 2500)));
                    break;
                default:
                    await running[random.Next(running.Count)].TickAsync();
                    break;
            }

            await cluster.AssertSingleOwnerAsync([.. everyone]);
        }

        // Settle: the paused ones stay dead; after their leases ran out, the running nodes own everything.
        for (var i = 0; i < 6; i++)
        {
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await ClusterHarness.TickAsync(1, [.. running]);
            await cluster.AssertSingleOwnerAsync([.. everyone]);
        }

        await ClusterHarness.TickAsync(1, [.. running]);
        await cluster.AssertConvergedAsync([.. running]);
    }
}
