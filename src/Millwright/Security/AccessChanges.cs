namespace Millwright.Security;

/// <summary>
/// The signal raised when a unit of work that took access away has committed (<see cref="Api.Sessions"/>
/// raises it right after the commit), so that long-lived connections (MQTT, the live feed) re-check at once
/// what REST re-checks on every request. Listeners run on the committing thread and must only hand the
/// changes on (queue them, wake a loop), never wait. A change made by another node or straight in the
/// store raises nothing here; each listener also re-checks on a timer for that.
/// </summary>
internal sealed class AccessChanges
{
    private readonly object _lock = new();
    private Action<IReadOnlyList<AccessChange>>[] _listeners = [];

    /// <summary>Calls <paramref name="listener"/> with every committed batch of changes until the result is disposed.</summary>
    public IDisposable Listen(Action<IReadOnlyList<AccessChange>> listener)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Listening(this, listener);
    }

    public void Raise(IReadOnlyList<AccessChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(changes);
        }
    }

    private void Remove(Action<IReadOnlyList<AccessChange>> listener)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Listening(AccessChanges owner, Action<IReadOnlyList<AccessChange>> listener) : IDisposable
    {
        public void Dispose() => owner.Remove(listener);
    }
}
