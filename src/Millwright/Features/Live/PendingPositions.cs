using System.Diagnostics;
using System.Runtime.InteropServices;
using Millwright.Messages;

namespace Millwright.Features.Live;

/// <summary>
/// The fleet positions one connection has yet to send: the newest latitude and longitude of each machine that
/// moved since the last send (one entry per machine, so a slow reader gets where the fleet is, not its path). Like
/// <see cref="PendingChanges"/> it never holds more than its capacity: on overflow it forgets everything and the
/// client is told to read the positions again over REST.
/// </summary>
internal sealed class PendingPositions(int capacity)
{
    private readonly Lock _lock = new();
    private Dictionary<long, MachinePosition> _positions = [];
    private bool _overflowed;
    private long _since;

    /// <summary>Takes the message's latitude and longitude, if it has either, keeping the newest of each; true when the writer must be woken.</summary>
    public bool Offer(long machine, IReadOnlyList<Reading> readings)
    {
        double? latitude = null, longitude = null;
        long ts = 0;
        foreach (var reading in readings)
        {
            if (reading.Value.Kind != TagValueKind.Number || !double.IsFinite(reading.Value.Number))
            {
                continue;
            }

            // The fleet's own ranges (Fleet/Coordinates), written out here: the live feed sits beside Fleet, not above it.
            if (reading.Tag == "latitude" && reading.Value.Number is >= -90 and <= 90)
            {
                latitude = reading.Value.Number;
                ts = Math.Max(ts, reading.Timestamp);
            }
            else if (reading.Tag == "longitude" && reading.Value.Number is >= -180 and <= 180)
            {
                longitude = reading.Value.Number;
                ts = Math.Max(ts, reading.Timestamp);
            }
        }

        if (latitude is null && longitude is null)
        {
            return false;
        }

        lock (_lock)
        {
            var wasIdle = _positions.Count == 0 && !_overflowed;
            if (_overflowed)
            {
                return false;
            }

            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_positions, machine, out var waiting);
            if (waiting)
            {
                if (ts >= slot.Timestamp)
                {
                    slot = new MachinePosition(latitude ?? slot.Latitude, longitude ?? slot.Longitude, ts);
                }
            }
            else if (_positions.Count <= capacity)
            {
                slot = new MachinePosition(latitude, longitude, ts);
            }
            else
            {
                _positions.Clear();
                _overflowed = true;
            }

            if (wasIdle)
            {
                _since = Stopwatch.GetTimestamp();
            }

            return wasIdle;
        }
    }

    /// <summary>Takes what waits (ordered by machine), whether positions were lost since the last drain, and since when it waited.</summary>
    public (IReadOnlyList<KeyValuePair<long, MachinePosition>> Positions, bool Overflowed, long Since) Drain()
    {
        Dictionary<long, MachinePosition> taken;
        bool overflowed;
        long since;
        lock (_lock)
        {
            taken = _positions;
            if (taken.Count > 0)
            {
                _positions = [];
            }

            (overflowed, since) = (_overflowed, _since);
            _overflowed = false;
        }

        return ([.. taken.OrderBy(p => p.Key)], overflowed, since);
    }

    /// <summary>Forgets what waits: the connection stopped watching the positions.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _positions.Clear();
            _overflowed = false;
        }
    }
}

/// <summary>A machine's newest position; a side the message did not carry is null (the client keeps what it had).</summary>
internal readonly record struct MachinePosition(double? Latitude, double? Longitude, long Timestamp);
