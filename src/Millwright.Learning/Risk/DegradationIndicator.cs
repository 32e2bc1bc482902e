namespace Millwright.Learning.Risk;

/// <summary>
/// A tag whose readings while running show a part's wear: the statistic of a window of them, in the given
/// direction (+1 rises with wear, −1 falls), counting only readings at or above <see cref="Above"/> when set (the
/// injection phase of a pressure that is low the rest of the cycle).
/// </summary>
public sealed record DegradationIndicator(string Tag, IndicatorStatistic Statistic = IndicatorStatistic.Mean, int Direction = 1, double? Above = null)
{
    public bool Counts(double value) => double.IsFinite(value) && (Above is not { } floor || value >= floor);
}
