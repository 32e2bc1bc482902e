using Millwright.Features.Telemetry;

namespace Millwright.Tests.Telemetry;

/// <summary>The threads a backlogged tenant's reads and parsing move to: their own, and lower in the OS's eyes.</summary>
public sealed class LowPrioritySchedulerTests
{
    [Fact]
    public async Task Work_queued_there_runs_on_its_own_threads_at_nice_10_on_linux()
    {
        using var scheduler = new LowPriorityScheduler(2);
        var (thread, nice) = await Task.Factory.StartNew(() => (Thread.CurrentThread.Name, NiceOfThisThread()),
            CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.StartsWith("mw-low-priority-", thread);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(LowPriorityScheduler.Nice, nice);
            await Eventually.TrueAsync(() => scheduler.Lowered == 2, "both threads run at nice 10");
        }
    }

    [Fact]
    public async Task Awaits_inside_its_work_come_back_to_its_threads()
    {
        using var scheduler = new LowPriorityScheduler(1);
        var after = await await Task.Factory.StartNew(async () =>
        {
            await Task.Delay(1);
            return Thread.CurrentThread.Name;
        }, CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.Equal("mw-low-priority-0", after);
    }

    [Fact]
    public async Task Work_queued_after_it_stopped_still_runs()
    {
        var scheduler = new LowPriorityScheduler(1);
        scheduler.Dispose();

        var ran = await Task.Factory.StartNew(() => true, CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.True(ran);
    }

    /// <summary>Field 19 of /proc/thread-self/stat; fields are counted after the command name's closing parenthesis (field 2).</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
