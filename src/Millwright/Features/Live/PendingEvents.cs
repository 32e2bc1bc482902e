namespace Millwright.Features.Live;

/// <summary>
/// Machine state changes and alarm transitions waiting for one connection, newest per key ("state:12",
/// "alarm:7"), in the order the keys first arrived. Like <see cref="PendingChanges"/> it never grows past its
/// capacity: on overflow it forgets everything and tells the client so, which then asks the REST API.
/// </summary>
internal sealed class PendingEvents(int capacity)
{
    private readonly Lock _lock = new();
    private List<byte[]> _events = [];
    private Dictionary<string, int> _positions = [];
    private bool _overflowed;

    /// <summary>Adds or replaces the event of this key; true when the writer must be woken.</summary>
    public bool Offer(string key, byte[] json)
    {
        lock (_lock)
        {
            var wasIdle = _events.Count == 0 && !_overflowed;
            if (_overflowed)
            {
                return false;
            }

            if (_positions.TryGetValue(key, out var position))
            {
                _events[position] = json;
            }
            else if (_events.Count < capacity)
            {
                _positions.Add(key, _events.Count);
                _events.Add(json);
            }
            else
            {
                _events.Clear();
                _positions.Clear();
                _overflowed = true;
            }

            return wasIdle;
        }
    }

    /// <summary>Takes what waits, and whether events were lost since the last drain.</summary>
    public (IReadOnlyList<byte[]> Events, bool Overflowed) Drain()
    {
        lock (_lock)
        {
            var taken = _events;
            if (taken.Count > 0)
            {
                _events = [];
                _positions = [];
            }

            var overflowed = _overflowed;
            _overflowed = false;
            return (taken, overflowed);
        }
    }
}
