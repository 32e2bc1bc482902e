using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The store's appender fenced by the ingest lease inside its own transactions, on PostgreSQL: two nodes (the
/// real lease and the real time-series store, one <see cref="ManualClock"/>), the first made to lose its lease
/// mid-way, while it is paused or while it is inside a commit.
/// </summary>
public sealed class AppenderFencingTests(ClusterDatabase store) : IClassFixture<ClusterDatabase>, IAsyncLifetime
{
    private readonly ClusterHarness _cluster = new(store.Database);

    public Task InitializeAsync() => store.ForgetClustersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_paused_old_appender_cannot_commit_what_it_had_in_hand_after_its_lease_was_taken_over()
    {
        var (a, b) = await JoinAsync();
        Assert.True(a.Node.TryGetLease(0, out var first));
        var series = Series();
        await using var old = await OpenAsync(a, first);
        await old.AppendAsync([Point(series, 0, 1)]);

        // Node a is paused (SIGSTOP, a long GC) past its lease; node b ticks on and takes the lease over.
        for (var i = 0; i < 5; i++)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await b.Node.TickAsync();
        }

        Assert.True(b.Node.TryGetLease(0, out var second));
        Assert.True(second.Token > first.Token);
        await using var next = await OpenAsync(b, second);

        // Resumed, node a tries to commit the batch it had in hand, and to checkpoint: both refused, nothing stored.
        await Assert.ThrowsAsync<FencedOutException>(() => old.AppendAsync([Point(series, 1, 2)]));
        await Assert.ThrowsAsync<WriteFencedException>(() => old.CheckpointAsync());
        await next.AppendAsync([Point(series, 2, 3)]);

        Assert.Equal([1.0, 3.0], await StoredAsync(series));
        Assert.Contains(((string?)"node-a", (string?)"node-b", "expired"), await HandoversAsync());
    }

    [Fact]
    public async Task A_takeover_tried_while_the_appender_is_inside_a_commit_leaves_the_lease_until_it_committed_and_the_new_appender_replays_it()
    {
        var (a, b) = await JoinAsync();
        Assert.True(a.Node.TryGetLease(0, out var first));
        var series = Series();
        var gate = new GateFence(new IngestFence(a.Node, first, _cluster.Clock));
        await using var old = await TimeSeriesStore.OpenAsync(_cluster.Database, new TimeSeriesOptions(), _cluster.Clock, gate);

        // Node a passes its fence and stops inside its commit; then its lease runs out and node b ticks: the lease
        // row is locked by the commit in progress, so b's tick leaves it (and does not wait).
        var append = old.AppendAsync([Point(series, 0, 1)]);
        await gate.Inside.Task;
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        await b.Node.TickAsync();
        Assert.False(b.Node.TryGetLease(0, out _));
        Assert.False(append.IsCompleted);

        gate.Release.SetResult();
        await append;
        await b.Node.TickAsync();

        Assert.True(b.Node.TryGetLease(0, out var second));
        await using var next = await OpenAsync(b, second);
        Assert.Equal([1.0], (await next.ReadAsync(series, 0, long.MaxValue)).Select(p => p.Number));
        await Assert.ThrowsAsync<FencedOutException>(() => old.AppendAsync([Point(series, 1, 2)]));
        Assert.Equal([1.0], await StoredAsync(series));
    }

    [Fact]
    public async Task An_appender_frozen_inside_its_commit_loses_the_transaction_after_a_lease_so_the_takeover_does_not_wait_for_it()
    {
        // A one-second lease, so PostgreSQL's idle-in-transaction limit (one lease) ends the frozen commit soon.
        var a = Lease("node-a", TimeSpan.FromSeconds(1));
        await a.Node.JoinAsync();
        var b = Lease("node-b", TimeSpan.FromSeconds(1));
        await b.Node.JoinAsync();
        Assert.True(a.Node.TryGetLease(0, out var first));
        var series = Series();
        var gate = new GateFence(new IngestFence(a.Node, first, _cluster.Clock));
        await using var old = await TimeSeriesStore.OpenAsync(_cluster.Database, new TimeSeriesOptions(), _cluster.Clock, gate);

        // Node a stops inside its commit and never goes on (frozen); its lease runs out.
        var append = old.AppendAsync([Point(series, 0, 1)]);
        await gate.Inside.Task;
        _cluster.Clock.Advance(TimeSpan.FromSeconds(5));

        // The server ends the frozen transaction's session; node b's next tick then takes the lease.
        await Eventually.TrueAsync(async () =>
        {
            await b.Node.TickAsync();
            return b.Node.TryGetLease(0, out _);
        }, "node b takes the lease once the server ended node a's frozen transaction");

        // When node a goes on, its commit fails: nothing of it is stored.
        gate.Release.SetResult();
        await Assert.ThrowsAnyAsync<DbException>(() => append);
        Assert.Empty(await StoredAsync(series));
    }

    private async Task<(IngestLease A, IngestLease B)> JoinAsync()
    {
        var a = Lease("node-a");
        await a.Node.JoinAsync();
        var b = Lease("node-b");
        await b.Node.JoinAsync();
        Assert.True(a.Held);
        Assert.False(b.Held);
        return (a, b);
    }

    private IngestLease Lease(string id, TimeSpan? lease = null) =>
        new(_cluster.Database, new ClusterOptions(_cluster.Name, id) { LeaseDuration = lease ?? TimeSpan.FromSeconds(4) }, _cluster.Clock, NullLogger<ClusterNode>.Instance);

    private Task<TimeSeriesStore> OpenAsync(IngestLease lease, BucketLease held) =>
        TimeSeriesStore.OpenAsync(_cluster.Database, new TimeSeriesOptions(), _cluster.Clock, new IngestFence(lease.Node, held, _cluster.Clock));

    // A series of its own per test (the tests share a database); tenant and machine ids need no rows in the store.
    private static SeriesKey Series() => new(1, Random.Shared.NextInt64(1, long.MaxValue), "power");

    private IngestPoint Point(SeriesKey series, int second, double value) =>
        new(series, SeriesKind.Gauge, _cluster.Clock.NowMs - 60_000 + (second * 1000), value);

    /// <summary>What a fresh reader (no fence, nothing in memory) finds in the database.</summary>
    private async Task<List<double>> StoredAsync(SeriesKey series)
    {
        await using var reader = await TimeSeriesStore.OpenAsync(_cluster.Database, new TimeSeriesOptions(), _cluster.Clock);
        return [.. (await reader.ReadAsync(series, 0, long.MaxValue)).Select(p => p.Number)];
    }

    private async Task<List<(string? From, string? To, string Reason)>> HandoversAsync()
    {
        await using var c = await _cluster.Database.OpenAsync();
        return (await c.QueryAsync<(string? From, string? To, string Reason)>(
            "SELECT from_node, to_node, reason FROM cluster_handovers WHERE cluster = @cluster ORDER BY id", new { cluster = _cluster.Name + ".ingest" })).AsList();
    }

    /// <summary>Runs the real fence, then holds the transaction open until the test lets it commit.</summary>
    private sealed class GateFence(IWriteFence inner) : IWriteFence
    {
        public TaskCompletionSource Inside { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task EnsureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await inner.EnsureAsync(connection, transaction, cancellationToken);
            Inside.TrySetResult();
            await Release.Task;
        }
    }
}
