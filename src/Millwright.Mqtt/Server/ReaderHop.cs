using System.Runtime.CompilerServices;

namespace Millwright.Mqtt.Server;

/// <summary>
/// Awaiting this moves the rest of a connection's read loop to <c>scheduler</c> (null: the thread pool), like
/// <see cref="Task.Yield"/> but to a chosen place. Awaits that follow capture the scheduler, so the client's
/// reads and publishes keep running there until the next hop.
/// </summary>
internal readonly struct ReaderHop(TaskScheduler? scheduler) : ICriticalNotifyCompletion
{
    public ReaderHop GetAwaiter() => this;

    public bool IsCompleted => false;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        if (scheduler is null || scheduler == TaskScheduler.Default)
        {
            // Not Task.Yield: on a custom scheduler it would queue to that scheduler again.
            ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
        }
        else
        {
            _ = Task.Factory.StartNew(continuation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
        }
    }
}
