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

    // EXPERIMENT
    public Func<double[], double[], int>? Distance { get; init; }

    public int Near { get; init; }

    public void Add(int makespan, ulong fingerprint, double[] starts)
    {
        if (_members.Any(m => m.Fingerprint == fingerprint))
        {
            return;
        }

        if (Distance is not null)
        {
            for (var i = 0; i < _members.Count; i++)
            {
                if (Distance(_members[i].Starts, starts) <= Near)
                {
                    if (makespan < _members[i].Makespan)
                    {
                        _members[i] = (makespan, fingerprint, starts);
                    }

                    return;
                }
            }
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
