using Millwright.Embroidery.Geometry;
using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Orders the digitized shapes and turns their blocks into machine commands. Colour order: a shape joins the
/// latest block of its colour when nothing stitched after that block overlaps it (so layering is kept), which
/// merges colours and saves changes; inside a colour, shapes go in the order of shortest travel (<see cref="TravelOrder"/>). Travel: short hops inside a shape
/// are stitched, others jump, and jumps longer than <see cref="DigitizeOptions.TrimAbove"/> trim first. Every start
/// gets a tie-in and every end before a trim, colour change or the end a tie-off. Stitches longer than the maximum
/// are split; ones shorter than the minimum are dropped. The origin is the centre of the design; Y is flipped up.
/// </summary>
public static class StitchPlanner
{
    public static StitchPattern Plan(IReadOnlyList<ShapeWork> works, DigitizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(works);
        ArgumentNullException.ThrowIfNull(options);
        var groups = ColourGroups(works);
        var bounds = works.Select(w => w.Bounds).Aggregate(SKRect.Empty, (a, b) => a.IsEmpty ? b : SKRect.Union(a, b));
        var emitter = new Emitter(new Vec(bounds.MidX, bounds.MidY), options);
        var threads = new List<ThreadColor>();
        foreach (var (colour, members) in groups)
        {
            if (threads.Count > 0)
            {
                emitter.ChangeColour();
            }

            threads.Add(colour);
            foreach (var work in ShortestTravel(members, emitter.Position))
            {
                for (var b = 0; b < work.Blocks.Count; b++)
                {
                    emitter.Block(work.Blocks[b].Points, sameShape: b > 0);
                }
            }
        }

        emitter.Finish();
        return new StitchPattern(emitter.Commands, threads.Count == 0 ? StitchPattern.DefaultThreads(1) : threads);
    }

    private static List<(ThreadColor Colour, List<ShapeWork> Members)> ColourGroups(IReadOnlyList<ShapeWork> works)
    {
        var groups = new List<(ThreadColor Colour, List<ShapeWork> Members)>();
        foreach (var work in works)
        {
            var target = -1;
            for (var g = groups.Count - 1; g >= 0; g--)
            {
                if (groups[g].Colour == work.Color)
                {
                    target = g;
                    break;
                }

                // A shape stitched later overlapping this one must stay on top of it.
                if (groups[g].Members.Any(m => m.Bounds.IntersectsWith(work.Bounds)))
                {
                    break;
                }
            }

            if (target >= 0)
            {
                groups[target].Members.Add(work);
            }
            else
            {
                groups.Add((work.Color, [work]));
            }
        }

        return groups;
    }

    private static IEnumerable<ShapeWork> ShortestTravel(List<ShapeWork> members, Vec from) =>
        TravelOrder.Of([.. members.Select(w => (w.Blocks[0].Points[0], w.Blocks[^1].Points[^1]))], from).Select(i => members[i]);
}
