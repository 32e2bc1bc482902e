using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Needles;

/// <summary>
/// Maps a design's threads (in sewing order) onto the needles of a machine as they are threaded. A block takes the
/// needle whose thread is nearest its colour, when that is within <see cref="MaxDeltaE"/> (CIE76 in L*a*b*: the
/// design's colours come from SVG fills or a logo's clustering, so they rarely equal a spool's colour to the
/// bit). A colour no needle holds is threaded by the operator: on an empty needle if there is one, else on the
/// needle whose thread is needed again latest in the piece (never again is latest), so the fewest later blocks lose
/// their needle; lower needles first on a tie. The machine waits for the operator at each such step.
/// </summary>
public static class NeedleMapper
{
    /// <summary>Colours closer than this are the same thread (about the difference people just tell apart on fabric).</summary>
    public const double MaxDeltaE = 8;

    public const int MaxNeedles = 20;

    public static NeedlePlan Map(IReadOnlyList<ThreadColor> threads, IReadOnlyList<ThreadColor?> needles)
    {
        ArgumentNullException.ThrowIfNull(threads);
        ArgumentNullException.ThrowIfNull(needles);
        if (needles.Count is 0 or > MaxNeedles)
        {
            throw new ArgumentException($"a machine has 1 to {MaxNeedles} needles, not {needles.Count}", nameof(needles));
        }

        var setup = needles.ToArray();
        var steps = new List<NeedleStep>(threads.Count);
        for (var block = 0; block < threads.Count; block++)
        {
            var colour = threads[block];
            var needle = Nearest(setup, colour);
            var rethread = needle < 0;
            if (rethread)
            {
                needle = ToRethread(setup, threads, block);
                setup[needle] = colour;
            }

            steps.Add(new NeedleStep(block, colour, needle + 1, rethread));
        }

        return new NeedlePlan(steps, setup);
    }

    /// <summary>The colour difference CIE76: the distance of two colours in L*a*b* (D65).</summary>
    public static double DeltaE(ThreadColor a, ThreadColor b)
    {
        var (l1, a1, b1) = Lab(a);
        var (l2, a2, b2) = Lab(b);
        return Math.Sqrt(((l1 - l2) * (l1 - l2)) + ((a1 - a2) * (a1 - a2)) + ((b1 - b2) * (b1 - b2)));
    }

    private static int Nearest(ThreadColor?[] setup, ThreadColor colour)
    {
        var best = -1;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < setup.Length; i++)
        {
            if (setup[i] is not { } held)
            {
                continue;
            }

            var d = DeltaE(held, colour);
            if (d <= MaxDeltaE && d < bestDistance)
            {
                (best, bestDistance) = (i, d);
            }
        }

        return best;
    }

    private static int ToRethread(ThreadColor?[] setup, IReadOnlyList<ThreadColor> threads, int block)
    {
        var empty = Array.FindIndex(setup, n => n is null);
        if (empty >= 0)
        {
            return empty;
        }

        var choice = 0;
        var latest = -1;
        for (var i = 0; i < setup.Length; i++)
        {
            var next = block + 1;
            while (next < threads.Count && DeltaE(threads[next], setup[i]!.Value) > MaxDeltaE)
            {
                next++;
            }

            if (next > latest)
            {
                (choice, latest) = (i, next);
            }
        }

        return choice;
    }

    private static (double L, double A, double B) Lab(ThreadColor c)
    {
        static double Linear(byte v)
        {
            var s = v / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;

        var (r, g, b) = (Linear(c.R), Linear(c.G), Linear(c.B));
        var x = ((0.4124 * r) + (0.3576 * g) + (0.1805 * b)) / 0.95047;
        var y = (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
        var z = ((0.0193 * r) + (0.1192 * g) + (0.9505 * b)) / 1.08883;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        return ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }
}
