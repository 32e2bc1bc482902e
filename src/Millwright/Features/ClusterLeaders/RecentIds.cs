namespace Millwright.Features.ClusterLeaders;

/// <summary>The last <c>capacity</c> (node, number) pairs seen, to take a relayed event once; the oldest are forgotten first.</summary>
internal sealed class RecentIds(int capacity)
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string Node, long Id)> _set = [];
    private readonly Queue<(string Node, long Id)> _order = new();

    /// <summary>True the first time a pair is seen (within the window).</summary>
    public bool Add(string node, long id)
    {
        lock (_lock)
        {
            if (!_set.Add((node, id)))
            {
                return false;
            }

            _order.Enqueue((node, id));
            if (_order.Count > capacity)
            {
                _set.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
