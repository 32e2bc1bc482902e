using System.Collections.Concurrent;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Wakes the live notification streams of a tenant after a unit of work that wrote notifications committed. It
/// carries no payload: a woken stream reads its key's new rows from the store, so what it pushes is always what
/// was committed, and a ring that comes while a stream is reading is not lost (it waits on the bell it took before).
/// </summary>
internal sealed class NotificationBell
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _bells = new();

    /// <summary>The task that completes at the tenant's next ring; take it before reading, then wait on it.</summary>
    public Task Next(long tenant) =>
        _bells.GetOrAdd(tenant, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Ring(long tenant)
    {
        if (_bells.TryRemove(tenant, out var bell))
        {
            bell.TrySetResult();
        }
    }
}
