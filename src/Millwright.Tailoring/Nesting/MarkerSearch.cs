using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Nesting;

/// <summary>
/// Nesting better than greedy: a local search over the order in which the bottom-left rule places the copies
/// (the rule itself is <see cref="BottomLeftNester"/>'s: least x along the fabric, then least y, in the better of
/// the two orientations that keep the grain along the warp). It starts from the greedy order (largest first) and
/// tries <c>evaluations</c> neighbours of the best order so far, each one copy moved to another place in the
/// sequence or two copies swapped, keeping a neighbour only when its marker is shorter; a layout is abandoned as
/// soon as it reaches the best length. So the result is never longer than the greedy marker, and the same pieces,
/// width and seed give the same marker. The pieces are rasterized once for all the layouts tried.
/// </summary>
public static class MarkerSearch
{
    public const int DefaultEvaluations = 150;

    public static Marker Nest(IReadOnlyList<PatternPiece> pieces, double fabricWidth, int evaluations = DefaultEvaluations, int seed = 1, double cell = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(evaluations);
        var copies = BottomLeftNester.Copies(pieces, cell);
        var order = Enumerable.Range(0, copies.Count).ToArray();
        var best = BottomLeftNester.Decode(copies, order, fabricWidth, cell, double.PositiveInfinity)!;
        if (copies.Count < 2)
        {
            return best;
        }

        var random = new Random(seed);
        for (var i = 0; i < evaluations; i++)
        {
            var candidate = (int[])order.Clone();
            var a = random.Next(candidate.Length);
            var b = random.Next(candidate.Length - 1);
            b += b >= a ? 1 : 0;
            if (random.Next(2) == 0)
            {
                (candidate[a], candidate[b]) = (candidate[b], candidate[a]);
            }
            else
            {
                // Move copy a to position b, shifting the ones between.
                var moved = candidate[a];
                var list = candidate.ToList();
                list.RemoveAt(a);
                list.Insert(b, moved);
                candidate = [.. list];
            }

            if (BottomLeftNester.Decode(copies, candidate, fabricWidth, cell, best.Length - 1e-6) is { } shorter && shorter.Length < best.Length)
            {
                (best, order) = (shorter, candidate);
            }
        }

        return best;
    }
}
