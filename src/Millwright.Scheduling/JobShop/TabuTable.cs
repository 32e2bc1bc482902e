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

    private long Index(int before, int after) => ((long)before * _p.MaxPerMachine) + _p.LocalIndex[after];
}
