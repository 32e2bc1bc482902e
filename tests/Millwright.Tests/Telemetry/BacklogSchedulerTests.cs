using Millwright.Features.Telemetry;

namespace Millwright.Tests.Telemetry;

/// <summary>The threads backlogged tenants' reads and parsing move to: their own, and no more of them at once than it has.</summary>
public sealed class BacklogSchedulerTests
{
    [Fact]
    public async Task Work_queued_there_runs_on_its_own_threads_never_more_at_once_than_it_has()
    {
        using var scheduler = new BacklogScheduler(2);
        var running = 0;
        var most = 0;
        var names = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var work = Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            names.Add(Thread.CurrentThread.Name);
            Thread.SpinWait(200_000);
            Interlocked.Decrement(ref running);
        }, CancellationToken.None, TaskCreationOptions.None, scheduler));

        await Task.WhenAll(work);

        Assert.All(names, name => Assert.StartsWith("mw-backlog-", name));
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task Awaits_inside_its_work_come_back_to_its_threads()
    {
        using var scheduler = new BacklogScheduler(1);
        var after = await await Task.Factory.StartNew(async () =>
        {
            await Task.Delay(1);
            return Thread.CurrentThread.Name;
        }, CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.Equal("mw-backlog-0", after);
    }

    [Fact]
    public async Task Work_queued_after_it_stopped_still_runs()
    {
        var scheduler = new BacklogScheduler(1);
        scheduler.Dispose();

        var ran = await Task.Factory.StartNew(() => true, CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.True(ran);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
