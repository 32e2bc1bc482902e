namespace Millwright.Scheduling.JobShop;

/// <summary>
/// A few of the best distinct solutions a worker has seen (makespan, fingerprint, start times), from which it
/// restarts: a kicked copy of one, or a solution half-way between two (path relinking).
/// </summary>
internal sealed class ElitePool
{
    private readonly int _capacity;
    private readonly List<(int Makespan, ulong Fingerprint, double[] Starts)> _members = [];

    public ElitePool(int capacity) => _capacity = capacity;

    public int Count => _members.Count;

    public (int Makespan, ulong Fingerprint, double[] Starts) this[int index] => _members[index];

    public int BestIndex()
    {
        var best = 0;
        for (var i = 1; i < _members.Count; i++)
        {
            if (_members[i].Makespan < _members[best].Makespan)
            {
                best = i;
            }
        }

        return best;
    }

    public void Add(int makespan, ulong fingerprint, double[] starts)
    {
        if (_members.Any(m => m.Fingerprint == fingerprint))
        {
            return;
        }

        if (_members.Count < _capacity)
        {
            _members.Add((makespan, fingerprint, starts));
            return;
        }

        var worst = 0;
        for (var i = 1; i < _members.Count; i++)
        {
            if (_members[i].Makespan >= _members[worst].Makespan)
            {
                worst = i;
            }
        }

        if (makespan <= _members[worst].Makespan)
        {
            _members[worst] = (makespan, fingerprint, starts);
        }
    }
}
