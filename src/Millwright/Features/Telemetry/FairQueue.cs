namespace Millwright.Features.Telemetry;

/// <summary>
/// Bounded FIFO lanes, one per owner (tenant), drained by deficit round robin over item weights (points), so
/// one tenant's flood queues in its own lane while every other tenant still gets its turn in each commit.
/// </summary>
/// <remarks>
/// Room is counted in weight, not items: a lane of large messages holds as few points as a lane of small ones,
/// so a flood of large messages cannot fill the heap (and lengthen every collection) while it waits.
/// An owner may add while its lane stays within <c>capacity</c> and either the whole queue stays within
/// <c>capacity</c> or the lane holds less than its fair share (capacity over busy lanes). An empty lane always
/// takes one item, however heavy, so no message waits for ever. A quiet owner therefore never waits behind a
/// loud one, and the queue holds at most twice <c>capacity</c> plus one item per owner. Writers that find no
/// room wait on their own lane (back-pressure on that owner only).
/// One reader; any number of writers. Every field is guarded by <see cref="_gate"/>.
/// </remarks>
internal sealed class FairQueue<T>(int capacity, int quantum, Func<T, long> ownerOf, Func<T, int> weightOf)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Lane> _lanes = [];
    private readonly Queue<Lane> _turns = new();
    private int _count;
    private long _weight;
    private TaskCompletionSource? _readable;
    private TaskCompletionSource? _newTurn;

    /// <summary>Items waiting, all lanes together.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Weight waiting, all lanes together.</summary>
    public long Weight
    {
        get
        {
            lock (_gate)
            {
                return _weight;
            }
        }
    }

    /// <summary>Owners with items waiting.</summary>
    public int BusyOwners
    {
        get
        {
            lock (_gate)
            {
                return _turns.Count;
            }
        }
    }

    /// <summary>Whether the owner's lane holds more than <paramref name="minWeight"/> in more than one item (it floods).</summary>
    public bool Floods(long owner, long minWeight)
    {
        lock (_gate)
        {
            return _lanes.TryGetValue(owner, out var lane) && Floods(lane, minWeight);
        }
    }

    /// <summary>Adds the item if its owner has room now.</summary>
    public bool TryWrite(T item)
    {
        lock (_gate)
        {
            var lane = LaneOf(ownerOf(item));
            var weight = weightOf(item);
            if (!HasRoom(lane, weight))
            {
                return false;
            }

            Add(lane, item, weight);
            return true;
        }
    }

    /// <summary>Adds the item, waiting as long as its owner's lane has no room.</summary>
    public async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                var lane = LaneOf(ownerOf(item));
                var weight = weightOf(item);
                if (HasRoom(lane, weight))
                {
                    Add(lane, item, weight);
                    return;
                }

                lane.Room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = lane.Room.Task;
            }

            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when an item is waiting (single reader).</summary>
    public async ValueTask WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task readable;
            lock (_gate)
            {
                if (_count > 0)
                {
                    return;
                }

                _readable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                readable = _readable.Task;
            }

            await readable.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// When one owner alone has items waiting, more than <paramref name="minWeight"/> in more than one item (a flood), a
    /// task that completes when another owner's lane gets an item (a new turn); otherwise null. Checked and armed under
    /// one lock, so an arrival between the check and the wait cannot be missed.
    /// </summary>
    public Task? FloodOnly(long minWeight)
    {
        lock (_gate)
        {
            if (_turns.Count != 1 || !Floods(_turns.Peek(), minWeight))
            {
                return null;
            }

            _newTurn ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _newTurn.Task;
        }
    }

    /// <summary>
    /// Moves items into <paramref name="batch"/> until their weights reach <paramref name="maxWeight"/> (the last
    /// item may pass it) or nothing waits; each busy lane gets <c>quantum</c> more weight per turn. Returns the weight taken.
    /// </summary>
    public int TakeBatch(List<T> batch, int maxWeight)
    {
        lock (_gate)
        {
            var taken = 0;
            while (taken < maxWeight && _turns.TryDequeue(out var lane))
            {
                lane.Deficit += quantum;
                while (taken < maxWeight && lane.Items.TryPeek(out var head) && weightOf(head) <= lane.Deficit)
                {
                    var weight = weightOf(head);
                    lane.Deficit -= weight;
                    lane.Weight -= weight;
                    _weight -= weight;
                    taken += weight;
                    batch.Add(lane.Items.Dequeue());
                    _count--;
                }

                if (lane.Items.Count > 0)
                {
                    _turns.Enqueue(lane);
                }
                else
                {
                    // An empty lane keeps no credit (deficit round robin) and, unwatched, no memory.
                    lane.Deficit = 0;
                    if (lane.Room is null)
                    {
                        _lanes.Remove(lane.Owner);
                    }
                }
            }

            // Shares changed with the lanes' lengths and the number of busy lanes: every waiting owner looks again.
            foreach (var waiting in _lanes.Values)
            {
                if (waiting.Room is { } room)
                {
                    waiting.Room = null;
                    room.TrySetResult();
                }
            }

            return taken;
        }
    }

    private static bool Floods(Lane lane, long minWeight) => lane.Weight > minWeight && lane.Items.Count > 1;

    private Lane LaneOf(long owner)
    {
        if (!_lanes.TryGetValue(owner, out var lane))
        {
            lane = new Lane(owner);
            _lanes.Add(owner, lane);
        }

        return lane;
    }

    private bool HasRoom(Lane lane, int weight) =>
        lane.Items.Count == 0
        || (lane.Weight + weight <= capacity
            && (_weight + weight <= capacity
                || (_weight + weight <= 2L * capacity && lane.Weight < capacity / _turns.Count)));

    private void Add(Lane lane, T item, int weight)
    {
        if (lane.Items.Count == 0)
        {
            _turns.Enqueue(lane);
            if (_newTurn is { } newTurn)
            {
                _newTurn = null;
                newTurn.TrySetResult();
            }
        }

        lane.Items.Enqueue(item);
        lane.Weight += weight;
        _weight += weight;
        _count++;
        if (_readable is { } readable)
        {
            _readable = null;
            readable.TrySetResult();
        }
    }

    private sealed class Lane(long owner)
    {
        public long Owner => owner;

        public Queue<T> Items { get; } = new();

        public long Deficit { get; set; }

        public long Weight { get; set; }

        public TaskCompletionSource? Room { get; set; }
    }
}
