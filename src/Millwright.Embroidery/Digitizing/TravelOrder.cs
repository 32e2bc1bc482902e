using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// The order of a colour's shapes that keeps the frame's travel short. Each shape is entered at its first stitch
/// and left at its last (fills and satins must be sewn as digitized: underlay first), so the travel from one shape
/// to the next is asymmetric, an open path problem from where the needle is. Nearest shape first gives a start;
/// then shapes are moved one at a time (Or-opt) to the place in the order where they shorten the total most, until
/// no move helps or <see cref="MaxPasses"/> passes are done. Never longer than nearest-first.
/// </summary>
internal static class TravelOrder
{
    public const int MaxPasses = 25;

    /// <summary>Above this many shapes only nearest-first is used: a pass costs the square of the count.</summary>
    public const int MaxImproved = 600;

    public static int[] Of(IReadOnlyList<(Vec Entry, Vec Exit)> shapes, Vec start)
    {
        var order = NearestFirst(shapes, start);
        if (order.Count < 3 || order.Count > MaxImproved)
        {
            return [.. order];
        }

        for (var pass = 0; pass < MaxPasses && Relocate(order, shapes, start); pass++)
        {
        }

        return [.. order];
    }

    /// <summary>The frame's travel from <paramref name="start"/> through the shapes in this order.</summary>
    public static double Travel(IReadOnlyList<int> order, IReadOnlyList<(Vec Entry, Vec Exit)> shapes, Vec start)
    {
        var total = 0.0;
        var at = start;
        foreach (var i in order)
        {
            total += Vec.Distance(at, shapes[i].Entry);
            at = shapes[i].Exit;
        }

        return total;
    }

    private static List<int> NearestFirst(IReadOnlyList<(Vec Entry, Vec Exit)> shapes, Vec start)
    {
        var left = Enumerable.Range(0, shapes.Count).ToList();
        var order = new List<int>(shapes.Count);
        var at = start;
        while (left.Count > 0)
        {
            var next = left.MinBy(i => Vec.Distance(at, shapes[i].Entry));
            left.Remove(next);
            order.Add(next);
            at = shapes[next].Exit;
        }

        return order;
    }

    /// <summary>One pass: each shape taken out and put back where the path is shortest; true when any move shortened it.</summary>
    private static bool Relocate(List<int> order, IReadOnlyList<(Vec Entry, Vec Exit)> shapes, Vec start)
    {
        // Travel into position k of the order (from the shape before it, or the start); the path's end costs nothing.
        double Hop(int? from, int to) => Vec.Distance(from is { } f ? shapes[order[f]].Exit : start, shapes[order[to]].Entry);
        double Gap(Vec from, int shape) => Vec.Distance(from, shapes[shape].Entry);

        var improved = false;
        for (var k = 0; k < order.Count; k++)
        {
            var shape = order[k];
            var before = k > 0 ? shapes[order[k - 1]].Exit : start;
            var removed = Hop(k > 0 ? k - 1 : null, k) + (k + 1 < order.Count ? Hop(k, k + 1) : 0)
                - (k + 1 < order.Count ? Gap(before, order[k + 1]) : 0);
            order.RemoveAt(k);

            // Best place to put it back: between position p-1 and p of the shortened order.
            var bestPlace = k;
            var bestAdded = double.MaxValue;
            for (var p = 0; p <= order.Count; p++)
            {
                var from = p > 0 ? shapes[order[p - 1]].Exit : start;
                var added = Gap(from, shape) + (p < order.Count ? Vec.Distance(shapes[shape].Exit, shapes[order[p]].Entry) - Gap(from, order[p]) : 0);
                if (added < bestAdded - 1e-9 || (p == k && added <= bestAdded + 1e-9))
                {
                    (bestPlace, bestAdded) = (p, added);
                }
            }

            order.Insert(bestPlace, shape);
            if (bestAdded < removed - 1e-9)
            {
                improved = true;
            }
        }

        return improved;
    }
}
