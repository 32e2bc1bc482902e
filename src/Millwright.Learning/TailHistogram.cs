namespace Millwright.Learning;

/// <summary>
/// How often a non-negative deviation of at least a given size has been seen, with exponential forgetting: a
/// fixed set of log-spaced bins, so memory is constant and no distribution shape is assumed (real sensors have
/// heavy tails, so a Gaussian tail would call every tenth spike a one-in-a-million event).
/// </summary>
internal sealed class TailHistogram
{
    /// <summary>Bin k holds deviations in [Edge(k), Edge(k+1)); bin 0 also holds everything below Edge(1).</summary>
    public const int Bins = 32;
    private const double FirstEdge = 0.25;
    private const double Growth = 1.3;
    private static readonly double LogGrowth = Math.Log(Growth);

    // Counts are stored multiplied by a weight that grows each update (instead of shrinking every bin): one
    // addition per update, and a rescale only when the weight grows large.
    private readonly double[] _counts = new double[Bins];
    private double _weight = 1;
    private double _total;

    public double[] Counts => _counts;

    public double Weight { get => _weight; set => _weight = value; }

    public double Total { get => _total; set => _total = value; }

    /// <summary>The forgotten-weighted number of deviations seen (the effective sample size).</summary>
    public double Mass => _total / _weight;

    public static double Edge(int bin) => bin == 0 ? 0 : FirstEdge * Math.Pow(Growth, bin - 1);

    public static int BinOf(double deviation)
    {
        if (!(deviation > FirstEdge))
        {
            return 0;
        }

        var k = 1 + Math.Log(deviation / FirstEdge) / LogGrowth;
        return k >= Bins - 1 ? Bins - 1 : (int)k;
    }

    /// <summary>
    /// The share of past deviations at least as large as <paramref name="deviation"/>, with a half-count prior so
    /// that a value beyond everything seen gets a small but non-zero share that shrinks as more is seen.
    /// </summary>
    public double Tail(double deviation)
    {
        if (double.IsNaN(deviation))
        {
            return 1;
        }

        var bin = BinOf(deviation);
        var above = _counts[bin] * 0.5;
        for (var k = bin + 1; k < Bins; k++)
        {
            above += _counts[k];
        }

        var w = _weight;
        var share = (above / w + 0.5) / (_total / w + 1);
        if (above / w < 0.5)
        {
            // Beyond (nearly) everything seen: rank by how far beyond the largest deviation seen, with an
            // inverse-square tail, so that a reading ten times past the record is rarer than one just past it.
            var top = bin;
            while (top > 0 && _counts[top] / w < 0.5)
            {
                top--;
            }

            var record = Edge(top + 1);
            if (deviation > record)
            {
                share *= record * record / (deviation * deviation);
            }
        }

        return share;
    }

    public void Add(double deviation, double forgetting)
    {
        _weight /= 1 - forgetting;
        _counts[BinOf(deviation)] += _weight;
        _total += _weight;
        if (_weight > 1e200)
        {
            for (var k = 0; k < Bins; k++)
            {
                _counts[k] /= _weight;
            }

            _total /= _weight;
            _weight = 1;
        }
    }
}
