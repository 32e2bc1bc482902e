namespace Millwright.Tailoring;

/// <summary>The reference k-NN: every body's distance, sorted by (distance, index). The k-d tree must agree exactly.</summary>
public static class BruteForceKnn
{
    public static Neighbour[] Search(KnnSpace space, ReadOnlySpan<float> query, int k)
    {
        var heap = new NeighbourHeap(Math.Min(k, space.Count));
        var d = space.Dimension;
        var points = space.Points.AsSpan();
        for (var i = 0; i < space.Count; i++)
        {
            heap.Offer(new Neighbour(space.Rows[i], KnnSpace.Distance(points.Slice(i * d, d), query, space.Weights)));
        }

        return heap.ToSortedArray();
    }
}
