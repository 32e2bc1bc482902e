namespace Millwright.Scheduling.JobShop;

/// <summary>
/// Until which iteration "operation a before operation b" (two operations of one machine) is forbidden. A dense table
/// (operations × largest machine load) while it stays under 16 M entries, which covers every benchmark instance and
/// keeps the hot lookups to an array index; a dictionary of the pairs actually marked beyond that, so a large shop
/// does not cost gigabytes per worker.
/// </summary>
internal sealed class TabuTable
{
    private const long DenseLimit = 16_000_000;
    private readonly JobShopProblem _p;
    private readonly long[]? _dense;
    private readonly Dictionary<long, long>? _sparse;

    public TabuTable(JobShopProblem problem)
    {
        _p = problem;
        if ((long)problem.Count * problem.MaxPerMachine <= DenseLimit)
        {
            _dense = new long[problem.Count * problem.MaxPerMachine];
        }
        else
        {
            _sparse = [];
        }
    }

    public long this[int before, int after]
    {
        get => _dense is not null ? _dense[Index(before, after)] : _sparse!.GetValueOrDefault(Index(before, after));
        set
        {
            if (_dense is not null)
            {
                _dense[Index(before, after)] = value;
            }
            else
            {
                _sparse![Index(before, after)] = value;
            }
        }
    }

    public void Clear()
    {
        if (_dense is not null)
        {
            Array.Clear(_dense);
        }
        else
        {
            _sparse!.Clear();
        }
    }

    /// <summary>
    /// Whether <see cref="SaveTo"/> and <see cref="RestoreFrom"/> are cheap enough to call on every new best of a run:
    /// a dense table of at most 1 M entries (a 40 × 25 shop has 25,000).
    /// </summary>
    public bool CanSnapshot => _dense is not null && _dense.Length <= 1 << 20;

    public int SnapshotLength => _dense?.Length ?? 0;

    /// <summary>Saves how many iterations each entry stays tabu after <paramref name="now"/>.</summary>
    public void SaveTo(long[] snapshot, long now)
    {
        var dense = _dense!;
        for (var i = 0; i < dense.Length; i++)
        {
            snapshot[i] = dense[i] > now ? dense[i] - now : 0;
        }
    }

    /// <summary>Puts back a <see cref="SaveTo"/> snapshot as if it had been taken at <paramref name="now"/>.</summary>
    public void RestoreFrom(long[] snapshot, long now)
    {
        var dense = _dense!;
        for (var i = 0; i < dense.Length; i++)
        {
            dense[i] = snapshot[i] > 0 ? now + snapshot[i] : 0;
        }
    }

    private long Index(int before, int after) => ((long)before * _p.MaxPerMachine) + _p.LocalIndex[after];
}
