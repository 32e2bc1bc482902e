namespace Millwright.Scheduling.Flexible;

/// <summary>
/// "Operation a directly or indirectly before operation b on their machine" is tabu until an iteration: a matrix for
/// instances up to 1,024 operations, a dictionary beyond (memory grows with the pairs actually marked).
/// </summary>
internal sealed class PairTabu
{
    private const int MatrixLimit = 1_024;
    private readonly int _n;
    private readonly long[]? _matrix;
    private readonly Dictionary<long, long> _sparse = [];

    public PairTabu(int operations)
    {
        _n = operations;
        _matrix = operations <= MatrixLimit ? new long[operations * operations] : null;
    }

    public void Mark(int a, int b, long until)
    {
        if (_matrix is not null)
        {
            _matrix[(a * _n) + b] = until;
            return;
        }

        if (_sparse.Count > 200_000)
        {
            _sparse.Clear();
        }

        _sparse[((long)a * _n) + b] = until;
    }

    public bool IsTabu(int a, int b, long now) =>
        _matrix is not null ? _matrix[(a * _n) + b] > now : _sparse.TryGetValue(((long)a * _n) + b, out var until) && until > now;

    public void Clear()
    {
        if (_matrix is not null)
        {
            Array.Clear(_matrix);
        }

        _sparse.Clear();
    }
}
