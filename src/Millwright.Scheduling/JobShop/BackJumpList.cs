namespace Millwright.Scheduling.JobShop;

/// <summary>
/// Back-jump tracking after Nowicki and Smutnicki's TSAB: the last few solutions at which a run found a new best,
/// each with its tabu table and the moves already taken from it. When the run stalls it jumps back to the newest one
/// and leaves by a move not taken yet, so the search explores the other branches next to its best solutions before
/// it restarts from afar. Buffers are reused: a run finds many new bests while it descends.
/// </summary>
internal sealed class BackJumpList
{
    private readonly Entry[] _entries;
    private int _first;

    public BackJumpList(JobShopProblem problem, int capacity, int tabuLength)
    {
        _entries = new Entry[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _entries[i] = new Entry(new JobShopState(problem), new long[tabuLength]);
        }
    }

    public int Count { get; private set; }

    /// <summary>The newest entry; valid while <see cref="Count"/> is positive.</summary>
    public Entry Newest => _entries[(_first + Count - 1) % _entries.Length];

    /// <summary>A slot for a new entry, the oldest one dropped when the list is full; fill it before the next call.</summary>
    public Entry Push()
    {
        if (Count == _entries.Length)
        {
            _first = (_first + 1) % _entries.Length;
            Count--;
        }

        Count++;
        var entry = Newest;
        entry.Taken.Clear();
        return entry;
    }

    public void DropNewest() => Count--;

    public void Clear() => (_first, Count) = (0, 0);

    /// <summary>A solution, its tabu table (iterations left per entry), and the moves (machine, from, to) taken from it.</summary>
    internal sealed record Entry(JobShopState State, long[] Tabu)
    {
        public List<(int Machine, int From, int To)> Taken { get; } = [];
    }
}
