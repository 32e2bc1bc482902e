namespace Millwright.Features.Fleet;

/// <summary>A series' value at a time or the latest before it, for times asked in increasing order (one forward walk).</summary>
internal sealed class PointCursor(IReadOnlyList<(long At, double Value)> points)
{
    private int _next;

    public double? At(long at)
    {
        while (_next < points.Count && points[_next].At <= at)
        {
            _next++;
        }

        return _next == 0 ? null : points[_next - 1].Value;
    }
}
