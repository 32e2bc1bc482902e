using Millwright.Features.Telemetry;

namespace Millwright.Tests.Telemetry;

public sealed class FairQueueTests
{
    private static FairQueue<(long Tenant, int Points)> Queue(int capacity, int quantum) =>
        new(capacity, quantum, static item => item.Tenant, static item => item.Points);

    [Fact]
    public async Task A_tenant_whose_lane_is_full_waits_while_another_tenant_still_gets_in()
    {
        var queue = Queue(capacity: 4, quantum: 10);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(queue.TryWrite((1, 1)));
        }

        Assert.False(queue.TryWrite((1, 1)));
        var waiting = queue.WriteAsync((1, 1), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        // The queue as a whole is full, yet tenant 2 holds less than its fair share.
        Assert.True(queue.TryWrite((2, 1)));
        Assert.True(queue.TryWrite((2, 1)));
        Assert.False(queue.TryWrite((2, 1)));
        Assert.Equal(6, queue.Count);
        Assert.Equal(2, queue.BusyOwners);

        var batch = new List<(long Tenant, int Points)>();
        queue.TakeBatch(batch, maxWeight: 3);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, queue.Count);
    }

    [Fact]
    public async Task A_lane_is_full_by_its_points_not_its_messages_yet_an_empty_lane_takes_one_message_of_any_size()
    {
        var queue = Queue(capacity: 1000, quantum: 500);
        Assert.True(queue.TryWrite((1, 500)));
        Assert.True(queue.TryWrite((1, 500)));
        Assert.False(queue.TryWrite((1, 1)));
        Assert.Equal(1000, queue.Weight);

        var waiting = queue.WriteAsync((1, 500), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        var batch = new List<(long Tenant, int Points)>();
        queue.TakeBatch(batch, maxWeight: 500);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([(1L, 500)], batch);
        Assert.Equal(1000, queue.Weight);

        // Heavier than the whole queue: it would never fit, so an empty lane takes it alone.
        Assert.True(queue.TryWrite((2, 5000)));
        Assert.False(queue.TryWrite((2, 1)));
        Assert.Equal(6000, queue.Weight);
    }

    [Fact]
    public void A_batch_takes_each_busy_tenant_in_turn_by_points()
    {
        var queue = Queue(capacity: 10_000, quantum: 100);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(queue.TryWrite((1, 100)));
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.True(queue.TryWrite((2, 10)));
        }

        var batch = new List<(long Tenant, int Points)>();
        var taken = queue.TakeBatch(batch, maxWeight: 300);

        // Tenant 1 came first with 5,000 points waiting, but tenant 2's 50 are all in the first batch.
        Assert.Equal(5, batch.Count(item => item.Tenant == 2));
        Assert.Equal(3, batch.Count(item => item.Tenant == 1));
        Assert.Equal(350, taken);
        Assert.Equal(47, queue.Count);
    }

    [Fact]
    public void Items_of_one_tenant_leave_in_the_order_they_came()
    {
        var queue = Queue(capacity: 1000, quantum: 3);
        for (var i = 1; i <= 20; i++)
        {
            Assert.True(queue.TryWrite((7, i)));
        }

        var batch = new List<(long Tenant, int Points)>();
        while (queue.Count > 0)
        {
            queue.TakeBatch(batch, maxWeight: 25);
        }

        Assert.Equal(Enumerable.Range(1, 20), batch.Select(item => item.Points));
    }

    [Fact]
    public async Task A_reader_resting_for_a_flood_wakes_for_another_tenant_not_for_the_flood()
    {
        var queue = Queue(capacity: 100, quantum: 10);
        Assert.True(queue.TryWrite((1, 3)));
        Assert.Null(queue.FloodOnly(minWeight: 2));

        // Tenant 1 alone, more than the weight in more than one item: a flood, and the rest is armed.
        Assert.True(queue.TryWrite((1, 3)));
        var newTurn = queue.FloodOnly(minWeight: 2);
        Assert.NotNull(newTurn);
        Assert.True(queue.TryWrite((1, 3)));
        Assert.False(newTurn.IsCompleted);

        Assert.True(queue.TryWrite((2, 1)));
        await newTurn.WaitAsync(TimeSpan.FromSeconds(30));

        // Two tenants queued: no flood alone, no rest.
        Assert.Null(queue.FloodOnly(minWeight: 2));
    }

    [Fact]
    public async Task The_reader_wakes_when_an_item_arrives()
    {
        var queue = Queue(capacity: 10, quantum: 10);
        var readable = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(readable.IsCompleted);
        Assert.True(queue.TryWrite((3, 1)));
        await readable.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_waiting_writer_gives_up_when_cancelled_and_adds_nothing()
    {
        var queue = Queue(capacity: 1, quantum: 10);
        Assert.True(queue.TryWrite((1, 1)));
        using var cancel = new CancellationTokenSource();
        var waiting = queue.WriteAsync((1, 2), cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        var batch = new List<(long Tenant, int Points)>();
        queue.TakeBatch(batch, maxWeight: 100);
        Assert.Equal([(1L, 1)], batch);
    }
}
