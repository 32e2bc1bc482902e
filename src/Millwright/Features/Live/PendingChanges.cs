using System.Diagnostics;
using System.Runtime.InteropServices;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Live;

/// <summary>
/// What one connection has yet to send: the newest value of each (machine, tag) that changed since the last
/// send. A slow reader therefore gets the latest state, not a backlog; the map never holds more than its
/// capacity of values. On overflow it forgets everything and asks for a snapshot instead, which the twin
/// answers with the same newest values. The pipeline thread offers, the connection's writer drains.
/// </summary>
internal sealed class PendingChanges(int capacity)
{
    private static readonly Dictionary<(long Machine, string Tag), Reading> Nothing = [];
    private readonly Lock _lock = new();
    private Dictionary<(long Machine, string Tag), Reading> _values = [];
    private bool _overflowed;
    private long _since;

    /// <summary>Adds the message's readings, keeping the newest per tag.</summary>
    /// <returns>How many waiting values were superseded (or dropped by an overflow), and whether the writer must be woken.</returns>
    public (int Coalesced, bool Wake) Offer(long machine, IReadOnlyList<Reading> readings)
    {
        var coalesced = 0;
        lock (_lock)
        {
            var wasIdle = _values.Count == 0 && !_overflowed;
            if (_overflowed)
            {
                // A snapshot is on its way and will be read after this value reached the twin.
                return (readings.Count, false);
            }

            for (var i = 0; i < readings.Count; i++)
            {
                var reading = readings[i];

                // One hash lookup per value: this runs on the telemetry pipeline's thread.
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, (machine, reading.Tag), out var waiting);
                if (waiting)
                {
                    coalesced++;
                    if (slot.Timestamp <= reading.Timestamp)
                    {
                        slot = reading;
                    }
                }
                else if (_values.Count <= capacity)
                {
                    slot = reading;
                }
                else
                {
                    // Everything waiting, this value and the rest of the message: the snapshot carries them all.
                    coalesced += _values.Count + (readings.Count - i - 1);
                    _values.Clear();
                    _overflowed = true;
                    break;
                }
            }

            if (wasIdle)
            {
                _since = Stopwatch.GetTimestamp();
            }

            return (coalesced, wasIdle);
        }
    }

    /// <summary>Takes everything waiting: the values, whether a full snapshot is due instead of what was lost, and since when it waited.</summary>
    public (IReadOnlyDictionary<(long Machine, string Tag), Reading> Values, bool Overflowed, long Since) Drain()
    {
        lock (_lock)
        {
            IReadOnlyDictionary<(long Machine, string Tag), Reading> taken = _values.Count == 0 ? Nothing : _values;
            if (_values.Count > 0)
            {
                _values = [];
            }

            var overflowed = _overflowed;
            _overflowed = false;
            return (taken, overflowed, _since);
        }
    }

    /// <summary>Drops what waits for these machines: they were unsubscribed, or a snapshot is about to carry their newest values.</summary>
    public void Forget(IReadOnlySet<long> machines)
    {
        lock (_lock)
        {
            if (_values.Count == 0)
            {
                return;
            }

            foreach (var key in _values.Keys.Where(k => machines.Contains(k.Machine)).ToList())
            {
                _values.Remove(key);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _values.Count;
            }
        }
    }
}
