using System.Collections.Concurrent;

namespace Millwright.Features.Telemetry;

/// <summary>
/// A task scheduler on a few threads of its own, shared by every backlogged tenant's MQTT reads and parsing: a
/// flood can then keep at most <see cref="MaximumConcurrencyLevel"/> cores busy parsing, and the rest stay free for
/// other tenants' messages and the writer (docs/quotas.md, "Fair ingest").
/// </summary>
/// <remarks>
/// The threads run at normal OS priority on purpose. Lowering them (nice) was tried: on Linux a new thread inherits
/// its creator's nice value, and the thread pool creates workers on whichever thread queues work, so pool workers
/// born on a lowered thread stayed lowered for every tenant; a lowered thread preempted while holding the fair
/// queue's lock also held up normal ones.
/// </remarks>
internal sealed class BacklogScheduler : TaskScheduler, IDisposable
{
    [ThreadStatic]
    private static BacklogScheduler? s_running;

    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread[] _threads;

    public BacklogScheduler(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"mw-backlog-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Half the cores (at least one): what backlogged tenants may take together.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount / 2);

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
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
