using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;

namespace Millwright.OpcUa.Server;

/// <summary>
/// A subscription of <see cref="ServerConnection"/> (OPC 10000-4 5.13): its monitored items are sampled once per
/// publishing interval, and a Publish is answered with the values that changed (by more than an item's absolute
/// deadband) since the last one sent, first with every item's initial value; after the keep-alive count of quiet
/// intervals, with a keep-alive that carries the next sequence number without using it (5.13.1.1).
/// </summary>
internal sealed class ServerSubscription(uint id, TimeSpan interval, uint keepAliveCount) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Item> _items = [];
    private readonly CancellationTokenSource _disposed = new();
    private uint _sequence;

    public uint Id => id;

    public TimeSpan Interval => interval;

    /// <summary>Adds an item; returns its id (never 0).</summary>
    public uint Monitor(NodeId node, uint clientHandle, double deadband)
    {
        lock (_lock)
        {
            _items.Add(new Item(node, clientHandle, deadband));
            return (uint)_items.Count;
        }
    }

    /// <summary>Waits for the next notification message and returns the writer of it.</summary>
    public async Task<Action<UaWriter>> NextMessageAsync(ServerAddressSpace space, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        for (var quiet = 0u; ; quiet++)
        {
            var changes = Changes(space);
            if (changes.Count > 0)
            {
                var sequence = ++_sequence;
                return w => Write(w, sequence, changes);
            }

            if (quiet >= keepAliveCount)
            {
                var next = _sequence + 1;
                return w => Write(w, next, []);
            }

            await Task.Delay(interval, linked.Token);
        }
    }

    private List<(uint Handle, DataValue Value)> Changes(ServerAddressSpace space)
    {
        var changes = new List<(uint, DataValue)>();
        lock (_lock)
        {
            foreach (var item in _items)
            {
                if (space.Get(item.Node) is { } value && item.Changed(value))
                {
                    item.Last = value;
                    changes.Add((item.ClientHandle, value));
                }
            }
        }

        return changes;
    }

    /// <summary>NotificationMessage (7.25): sequence number, publish time, and a DataChangeNotification when there are changes.</summary>
    private static void Write(UaWriter w, uint sequence, List<(uint Handle, DataValue Value)> changes)
    {
        w.WriteUInt32(sequence);
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteArray(changes.Count == 0 ? [] : new[] { changes }, (x, c) => x.WriteExtensionObject(new NodeId(0, EncodingIds.DataChangeNotification), body =>
        {
            body.WriteArray(c, (y, change) =>
            {
                y.WriteUInt32(change.Handle);
                y.WriteDataValue(change.Value);
            });
            body.WriteArray<DiagnosticInfo>([], (_, _) => { });
        }));
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private sealed class Item(NodeId node, uint clientHandle, double deadband)
    {
        public NodeId Node => node;

        public uint ClientHandle => clientHandle;

        public DataValue? Last { get; set; }

        public bool Changed(DataValue value)
        {
            if (Last is not { } last)
            {
                return true;
            }

            if (deadband > 0 && Number(last.Value) is { } before && Number(value.Value) is { } after)
            {
                return Math.Abs(after - before) > deadband;
            }

            return !Equals(last.Value.Value, value.Value.Value) || last.Status != value.Status;
        }

        private static double? Number(Variant v) => v.IsArray ? null : v.Value switch
        {
            sbyte or byte or short or ushort or int or uint or long or ulong or float or double => Convert.ToDouble(v.Value, System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
