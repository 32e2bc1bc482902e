using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Tests.Digitizing;

public sealed class TravelOrderTests
{
    private static (Vec, Vec) Dot(double x, double y) => (new Vec(x, y), new Vec(x, y));

    [Fact]
    public void Shapes_on_both_sides_are_sewn_near_side_first_where_nearest_first_zigzags()
    {
        // From 0: nearest first goes to 1, back to -1.5, then out to 3 (1 + 2.5 + 4.5 = 8); -1.5, 1, 3 is 6.
        (Vec, Vec)[] shapes = [Dot(1, 0), Dot(-1.5, 0), Dot(3, 0)];
        var order = TravelOrder.Of(shapes, new Vec(0, 0));

        Assert.Equal([1, 0, 2], order);
        Assert.Equal(6, TravelOrder.Travel(order, shapes, new Vec(0, 0)), 9);
    }

    [Fact]
    public void The_order_is_a_permutation_and_never_travels_further_than_nearest_first()
    {
        var random = new Random(15);
        var shorter = 0;
        for (var round = 0; round < 200; round++)
        {
            var shapes = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => (new Vec(random.NextDouble() * 100, random.NextDouble() * 100), new Vec(random.NextDouble() * 100, random.NextDouble() * 100)))
                .ToArray();
            var start = new Vec(50, 50);
            var order = TravelOrder.Of(shapes, start);

            Assert.Equal(Enumerable.Range(0, shapes.Length), order.Order());
            var greedy = Greedy(shapes, start);
            var travel = TravelOrder.Travel(order, shapes, start);
            Assert.True(travel <= TravelOrder.Travel(greedy, shapes, start) + 1e-9);
            shorter += travel < TravelOrder.Travel(greedy, shapes, start) - 1e-6 ? 1 : 0;
        }

        Assert.True(shorter > 100, $"shorter than nearest first in only {shorter} of 200 random sets");
    }

    private static List<int> Greedy((Vec Entry, Vec Exit)[] shapes, Vec at)
    {
        var left = Enumerable.Range(0, shapes.Length).ToList();
        var order = new List<int>();
        while (left.Count > 0)
        {
            var next = left.MinBy(i => Vec.Distance(at, shapes[i].Entry));
            left.Remove(next);
            order.Add(next);
            at = shapes[next].Exit;
        }

        return order;
    }
}
