using System.Data.Common;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

/// <summary>
/// A store opened with an <see cref="IWriteFence"/> (cluster mode: the appender's lease) runs it first in every
/// write transaction; once it refuses, nothing of that write commits and the store writes nothing more.
/// </summary>
public abstract class TimeSeriesFenceTests : TimeSeriesStoreFixture
{
    private static readonly SeriesKey Power = new(1, 10, "power");

    [Fact]
    public async Task Appends_checkpoints_and_retention_each_pass_the_fence_inside_their_own_transaction()
    {
        var fence = new SwitchFence();
        await using var store = await TimeSeriesStore.OpenAsync(Database(), Options, Clock, fence);

        await store.AppendAsync([Gauge(Power, T0, 1)]);
        Assert.Equal(1, fence.Passed);
        await store.CheckpointAsync();
        Assert.Equal(2, fence.Passed);
        await store.EnforceRetentionAsync(Clock.GetUtcNow());
        Assert.Equal(3, fence.Passed);
    }

    [Fact]
    public async Task A_write_the_fence_refuses_commits_nothing_and_the_store_never_writes_again()
    {
        var fence = new SwitchFence();
        await using (var store = await TimeSeriesStore.OpenAsync(Database(), Options, Clock, fence))
        {
            await store.AppendAsync([Gauge(Power, T0, 1)]);

            fence.Refusing = true;
            await Assert.ThrowsAsync<WriteFencedException>(() => store.AppendAsync([Gauge(Power, T0 + 1000, 2)]));
            Assert.True(store.FencedOut);

            // The right to write came back, but this store does not trust its memory any more: only a new store writes.
            fence.Refusing = false;
            await Assert.ThrowsAsync<WriteFencedException>(() => store.AppendAsync([Gauge(Power, T0 + 2000, 3)]));
            await Assert.ThrowsAsync<WriteFencedException>(() => store.CheckpointAsync());
            Assert.Equal(1, fence.Passed);
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM ts_log"));
        await using var reopened = await OpenAsync();
        Assert.Equal([1.0], (await reopened.ReadAsync(Power, T0, T0 + 3000)).Select(p => p.Number));
        await reopened.AppendAsync([Gauge(Power, T0 + 1000, 2)]);
        Assert.Equal([1.0, 2.0], (await reopened.ReadAsync(Power, T0, T0 + 3000)).Select(p => p.Number));
    }

    /// <summary>Passes or refuses as the test says; counts the writes it let through.</summary>
    private sealed class SwitchFence : IWriteFence
    {
        public bool Refusing { get; set; }

        public int Passed { get; private set; }

        public Task EnsureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            Assert.Same(connection, transaction.Connection);
            if (Refusing)
            {
                throw new WriteFencedException("refused by the test");
            }

            Passed++;
            return Task.CompletedTask;
        }
    }

    public sealed class OnSqlite : TimeSeriesFenceTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => Task.FromResult(StoreFixture.CreateSqlite());
    }

    public sealed class OnPostgres : TimeSeriesFenceTests
    {
        protected override Task<StoreFixture> CreateStoreAsync() => StoreFixture.CreatePostgresAsync();
    }
}
