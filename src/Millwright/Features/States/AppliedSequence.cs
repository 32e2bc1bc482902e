namespace Millwright.Features.States;

/// <summary>
/// Counts the messages the state tracker has queued and applied, and lets a reader await "applied up to N": a
/// later observer of the same committed batch (the anomaly watcher) reads <see cref="Queued"/> once the tracker has
/// queued the batch, and waits once per batch of its own for the tracker to have decided every state in it.
/// Both counts only grow; the tracker's queue has one writer (the pipeline's consumer), so the Nth message queued
/// is the Nth applied.
/// </summary>
internal sealed class AppliedSequence
{
    private long _queued;
    private long _applied;
    private TaskCompletionSource _advanced = NewSignal();

    /// <summary>Messages queued since start.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Messages applied (or given up on after a store failure) since start.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    public void MarkQueued() => Interlocked.Increment(ref _queued);

    /// <summary>Records <paramref name="count"/> more messages applied and wakes every waiter to recheck.</summary>
    public void MarkApplied(int count)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _applied, count);
        Interlocked.Exchange(ref _advanced, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Completes with true once at least <paramref name="sequence"/> messages are applied, or with false after
    /// <paramref name="timeout"/> (real time: the tracker is slow or stopped, and the caller carries on without it).
    /// </summary>
    public async Task<bool> WaitAsync(long sequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Applied >= sequence)
        {
            return true;
        }

        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(timeout);
        try
        {
            while (true)
            {
                // Take the signal before the check: an advance between the two completes this very signal.
                var signal = Volatile.Read(ref _advanced).Task;
                if (Applied >= sequence)
                {
                    return true;
                }

                await signal.WaitAsync(expiry.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Applied >= sequence;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
