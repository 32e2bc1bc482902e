namespace Millwright.Scheduling.Flexible;

/// <summary>
/// A few of the best distinct solutions one worker's runs ended in (each run's best), to restart from: restarting
/// only from the single best keeps the search in one valley, while a small pool of good but different solutions
/// lets restarts explore several. Distinct means another makespan or another machine choice or sequence.
/// </summary>
internal sealed class FlexibleElite(int capacity)
{
    private readonly List<(int Makespan, int[] Choice, int[][] Sequences)> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Keeps the graph's solution if the pool has room or it beats the worst entry, and it is not there yet.</summary>
    public void Offer(FlexibleGraph g)
    {
        if (_entries.Count >= capacity && g.Makespan >= _entries[^1].Makespan)
        {
            return;
        }

        var sequences = g.Sequences();
        foreach (var e in _entries)
        {
            if (e.Makespan == g.Makespan && e.Choice.AsSpan().SequenceEqual(g.Choice) && Same(e.Sequences, sequences))
            {
                return;
            }
        }

        if (_entries.Count >= capacity)
        {
            _entries.RemoveAt(_entries.Count - 1);
        }

        var at = _entries.FindIndex(e => e.Makespan > g.Makespan);
        _entries.Insert(at < 0 ? _entries.Count : at, (g.Makespan, (int[])g.Choice.Clone(), sequences));
    }

    /// <summary>Loads a random entry into the graph (evaluated).</summary>
    public void LoadRandom(FlexibleGraph g, Random random)
    {
        var (_, choice, sequences) = _entries[random.Next(_entries.Count)];
        g.Load(choice, sequences);
        g.Evaluate();
    }

    private static bool Same(int[][] a, int[][] b)
    {
        for (var m = 0; m < a.Length; m++)
        {
            if (!a[m].AsSpan().SequenceEqual(b[m]))
            {
                return false;
            }
        }

        return true;
    }
}
