namespace Millwright.Learning;

/// <summary>
/// The range view: how often recent readings fell where this one falls, below, inside or above the range a series
/// showed while it was young. The range is the smallest and largest value of the first
/// <see cref="DetectorOptions.RangeLearning"/> readings, widened by a tenth of its span on each side, then fixed; it is
/// cut into <see cref="DetectorOptions.RangeBins"/> equal bins plus one below and one above. Each bin counts readings
/// with exponential forgetting. A value never or seldom seen (a failing machine's temperature far below its usual
/// band, a price ten times any seen before) lands in an almost empty bin; the other views measure distances from
/// moving averages, which follow a slow excursion and then no longer find it odd. A series that moves to a new level
/// for good fills the outer bin, which then stops being rare: the view loses its resolution there but does not flood.
/// </summary>
internal sealed class ValueRange
{
    private readonly double[] _counts;
    private double _weight = 1;
    private double _total;

    public ValueRange(int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        _counts = new double[bins + 2];
    }

    public double[] Counts => _counts;

    public double Weight { get => _weight; set => _weight = value; }

    public double Total { get => _total; set => _total = value; }

    /// <summary>Readings seen while learning the range (stops counting once the range is fixed).</summary>
    public long Learned { get; set; }

    /// <summary>The smallest and largest value seen while learning (meaningless while <see cref="Learned"/> is 0).</summary>
    public double Min { get; set; }

    public double Max { get; set; }

    /// <summary>The fixed range's low and high edges; equal (0, 0) while the range is still being learned.</summary>
    public double Low { get; set; }

    public double High { get; set; }

    public bool Fixed => High > Low;

    /// <summary>−ln of the (forgotten-weighted) share of past readings in this value's bin, or NaN while learning.</summary>
    public double Rarity(double value)
    {
        if (!Fixed || _total <= 0)
        {
            return double.NaN;
        }

        var w = _weight;
        return -Math.Log((_counts[BinOf(value)] / w + 0.5) / (_total / w + 1));
    }

    /// <summary>Learns a reading: widens the range while learning and fixes it after <paramref name="learning"/> readings of a non-zero span; counts it once the range is fixed.</summary>
    public void Learn(double value, int learning, double forgetting)
    {
        if (!Fixed)
        {
            Min = Learned == 0 ? value : Math.Min(Min, value);
            Max = Learned == 0 ? value : Math.Max(Max, value);
            Learned++;
            // A constant start has no span to cut into bins: the range waits for the first change.
            if (Learned >= learning && Max > Min)
            {
                var margin = (Max - Min) / 10;
                Low = Min - margin;
                High = Max + margin;
            }

            if (!Fixed)
            {
                return;
            }
        }

        _weight /= 1 - forgetting;
        _counts[BinOf(value)] += _weight;
        _total += _weight;
        if (_weight > 1e200)
        {
            for (var k = 0; k < _counts.Length; k++)
            {
                _counts[k] /= _weight;
            }

            _total /= _weight;
            _weight = 1;
        }
    }

    private int BinOf(double value)
    {
        var inner = _counts.Length - 2;
        if (value < Low)
        {
            return 0;
        }

        if (value >= High)
        {
            return inner + 1;
        }

        return 1 + Math.Min(inner - 1, (int)((value - Low) / (High - Low) * inner));
    }
}
