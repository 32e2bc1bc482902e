namespace Millwright.Tailoring;

/// <summary>The k best neighbours so far, as a max-heap on (distance, index): the root is the one to drop next.</summary>
internal sealed class NeighbourHeap(int capacity)
{
    private readonly Neighbour[] _items = new Neighbour[capacity];

    public int Count { get; private set; }

    public bool IsFull => Count == _items.Length;

    /// <summary>The worst kept distance: anything farther cannot enter a full heap.</summary>
    public double Worst => _items[0].Distance;

    public void Offer(Neighbour candidate)
    {
        if (Count < _items.Length)
        {
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (_items[parent].CompareTo(candidate) >= 0)
                {
                    break;
                }

                _items[i] = _items[parent];
                i = parent;
            }

            _items[i] = candidate;
            return;
        }

        if (_items.Length == 0 || candidate.CompareTo(_items[0]) >= 0)
        {
            return;
        }

        var at = 0;
        while (true)
        {
            var child = 2 * at + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && _items[child + 1].CompareTo(_items[child]) > 0)
            {
                child++;
            }

            if (_items[child].CompareTo(candidate) <= 0)
            {
                break;
            }

            _items[at] = _items[child];
            at = child;
        }

        _items[at] = candidate;
    }

    public Neighbour[] ToSortedArray()
    {
        var result = _items.AsSpan(0, Count).ToArray();
        Array.Sort(result);
        return result;
    }

    public void Clear() => Count = 0;
}
