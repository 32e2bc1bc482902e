using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Millwright.Features.Telemetry;

/// <summary>
/// A task scheduler on its own threads, which the OS runs at a lower priority (Linux nice <see cref="Nice"/>):
/// work queued here gets the cores when nothing of normal priority is ready, and all of them when nothing else runs.
/// The pipeline sends a backlogged tenant's MQTT reads and parsing here, so a quiet tenant's messages are parsed
/// and admitted first instead of queueing for a core behind a flood (docs/quotas.md, "Fair ingest").
/// </summary>
internal sealed class LowPriorityScheduler : TaskScheduler, IDisposable
{
    /// <summary>Nice 10 gives a thread about a tenth of a normal thread's share of a contended core.</summary>
    public const int Nice = 10;

    [ThreadStatic]
    private static LowPriorityScheduler? s_running;

    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread[] _threads;
    private int _lowered;

    public LowPriorityScheduler(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"mw-low-priority-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads whose priority the OS lowered (0 where it cannot: then this is a plain thread set).</summary>
    public int Lowered => Volatile.Read(ref _lowered);

    public override int MaximumConcurrencyLevel => _threads.Length;

    public void Dispose() => _tasks.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        try
        {
            _tasks.Add(task);
        }
        catch (InvalidOperationException)
        {
            // Stopping: what still arrives runs on the pool, so no continuation is lost.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Self.TryExecuteTask(s.Task), (Self: this, Task: task), preferLocal: false);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        s_running == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Run()
    {
        s_running = this;
        if (OperatingSystem.IsLinux() && SetPriority(PriorityProcess, GetTid(), Nice) == 0)
        {
            Interlocked.Increment(ref _lowered);
        }

        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    // On Linux a thread is a task with its own nice value: setpriority with a thread id sets only that thread's.
    private const int PriorityProcess = 0;

    // DllImport, not LibraryImport: with only ints to pass nothing needs marshalling code, and no unsafe blocks.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
