namespace Millwright.Tailoring;

/// <summary>
/// Exact k-NN over a <see cref="KnnSpace"/>: a k-d tree split at the median of the widest dimension, leaves of up
/// to <see cref="LeafSize"/> bodies stored contiguously, each node with the bounding box of its bodies. A node is
/// skipped only when its box is strictly farther than the current k-th neighbour (an equally far node may hold a
/// lower index that wins the tie), so the answer is exactly the brute force's.
/// </summary>
public sealed class KdTree
{
    public const int LeafSize = 24;

    private readonly KnnSpace _space;
    private readonly int _d;
    private readonly float[] _points;
    private readonly int[] _rows;
    private readonly List<Node> _nodes = [];
    private readonly List<float> _boxes = [];

    private KdTree(KnnSpace space)
    {
        _space = space;
        _d = space.Dimension;
        _points = new float[space.Points.Length];
        _rows = new int[space.Count];
    }

    public KnnSpace Space => _space;

    public static KdTree Build(KnnSpace space)
    {
        var tree = new KdTree(space);
        var order = Enumerable.Range(0, space.Count).ToArray();
        if (order.Length > 0)
        {
            tree.BuildNode(order, 0, order.Length);
        }

        for (var i = 0; i < order.Length; i++)
        {
            tree._rows[i] = space.Rows[order[i]];
            space.Points.AsSpan(order[i] * tree._d, tree._d).CopyTo(tree._points.AsSpan(i * tree._d));
        }

        return tree;
    }

    /// <summary>The k nearest bodies to <paramref name="query"/> (standardized, see <see cref="KnnSpace.Standardize"/>).</summary>
    public Neighbour[] Search(ReadOnlySpan<float> query, int k)
    {
        var heap = new NeighbourHeap(Math.Min(k, _rows.Length));
        if (_nodes.Count > 0 && k > 0)
        {
            var boxes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_boxes);
            Visit(0, query, heap, boxes);
        }

        return heap.ToSortedArray();
    }

    private void Visit(int node, ReadOnlySpan<float> query, NeighbourHeap heap, ReadOnlySpan<float> boxes)
    {
        var n = _nodes[node];
        if (n.Left < 0)
        {
            var weights = _space.Weights.AsSpan();
            var points = _points.AsSpan();
            for (var i = n.Start; i < n.End; i++)
            {
                var distance = KnnSpace.Distance(points.Slice(i * _d, _d), query, weights);
                if (!heap.IsFull || distance <= heap.Worst)
                {
                    heap.Offer(new Neighbour(_rows[i], distance));
                }
            }

            return;
        }

        var left = Bound(n.Left, query, boxes);
        var right = Bound(n.Right, query, boxes);
        var (first, firstBound, second, secondBound) = left <= right ? (n.Left, left, n.Right, right) : (n.Right, right, n.Left, left);
        if (!heap.IsFull || firstBound <= heap.Worst)
        {
            Visit(first, query, heap, boxes);
        }

        if (!heap.IsFull || secondBound <= heap.Worst)
        {
            Visit(second, query, heap, boxes);
        }
    }

    private double Bound(int node, ReadOnlySpan<float> query, ReadOnlySpan<float> boxes)
    {
        var box = boxes.Slice(node * 2 * _d, 2 * _d);
        return KnnSpace.BoxDistance(box[.._d], box[_d..], query, _space.Weights);
    }

    private int BuildNode(int[] order, int start, int end)
    {
        var index = _nodes.Count;
        _nodes.Add(default);
        var source = _space.Points;
        var low = new float[_d];
        var high = new float[_d];
        low.AsSpan().Fill(float.PositiveInfinity);
        high.AsSpan().Fill(float.NegativeInfinity);
        for (var i = start; i < end; i++)
        {
            for (var j = 0; j < _d; j++)
            {
                var v = source[order[i] * _d + j];
                low[j] = Math.Min(low[j], v);
                high[j] = Math.Max(high[j], v);
            }
        }

        _boxes.AddRange(low);
        _boxes.AddRange(high);
        var split = 0;
        for (var j = 1; j < _d; j++)
        {
            if ((high[j] - low[j]) * Math.Sqrt(_space.Weights[j]) > (high[split] - low[split]) * Math.Sqrt(_space.Weights[split]))
            {
                split = j;
            }
        }

        if (end - start <= LeafSize || high[split] == low[split])
        {
            _nodes[index] = new Node(start, end, -1, -1);
            return index;
        }

        var middle = start + (end - start) / 2;
        Select(order, start, end - 1, middle, split);
        var left = BuildNode(order, start, middle);
        var right = BuildNode(order, middle, end);
        _nodes[index] = new Node(start, end, left, right);
        return index;
    }

    /// <summary>Quickselect (Hoare partition): order[k] gets its sorted place on dimension <paramref name="dim"/>.</summary>
    private void Select(int[] order, int lo, int hi, int k, int dim)
    {
        var points = _space.Points;
        while (lo < hi)
        {
            var pivot = points[order[lo + (hi - lo) / 2] * _d + dim];
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (points[order[i] * _d + dim] < pivot)
                {
                    i++;
                }

                while (points[order[j] * _d + dim] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (order[i], order[j]) = (order[j], order[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    private readonly record struct Node(int Start, int End, int Left, int Right);
}
