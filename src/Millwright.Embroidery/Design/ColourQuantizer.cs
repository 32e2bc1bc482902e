using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Design;

/// <summary>
/// Reduces a picture's colours to a few thread colours: k-means in RGB, started by k-means++ from a fixed seed (so
/// the same logo always gives the same threads), on at most 20,000 sampled pixels, then every pixel is given its
/// nearest centre.
/// </summary>
internal static class ColourQuantizer
{
    private const int Samples = 20_000;
    private const int Rounds = 12;

    /// <summary>The centres found for the opaque pixels (<paramref name="pixels"/> holds 0xRRGGBB, or -1 for none).</summary>
    public static IReadOnlyList<ThreadColor> Centres(int[] pixels, int k)
    {
        var random = new Random(15);
        var opaque = pixels.Where(p => p >= 0).ToArray();
        if (opaque.Length == 0)
        {
            return [];
        }

        var sample = opaque.Length <= Samples ? opaque : Enumerable.Range(0, Samples).Select(_ => opaque[random.Next(opaque.Length)]).ToArray();
        var centres = new List<(double R, double G, double B)> { Rgb(sample[random.Next(sample.Length)]) };
        while (centres.Count < k)
        {
            var weights = sample.Select(p => centres.Min(c => Distance(Rgb(p), c))).ToArray();
            var total = weights.Sum();
            if (total <= 0)
            {
                break;
            }

            var pick = random.NextDouble() * total;
            var i = 0;
            for (; i < sample.Length - 1 && pick > weights[i]; i++)
            {
                pick -= weights[i];
            }

            centres.Add(Rgb(sample[i]));
        }

        for (var round = 0; round < Rounds; round++)
        {
            var sums = new (double R, double G, double B, int N)[centres.Count];
            foreach (var p in sample)
            {
                var c = Nearest(Rgb(p), centres);
                var v = Rgb(p);
                sums[c] = (sums[c].R + v.R, sums[c].G + v.G, sums[c].B + v.B, sums[c].N + 1);
            }

            for (var c = 0; c < centres.Count; c++)
            {
                if (sums[c].N > 0)
                {
                    centres[c] = (sums[c].R / sums[c].N, sums[c].G / sums[c].N, sums[c].B / sums[c].N);
                }
            }
        }

        return centres.Select(c => new ThreadColor((byte)Math.Round(c.R), (byte)Math.Round(c.G), (byte)Math.Round(c.B))).Distinct().ToList();
    }

    /// <summary>Each pixel's centre index, or -1 where the pixel is transparent.</summary>
    public static int[] Assign(int[] pixels, IReadOnlyList<ThreadColor> centres)
    {
        var list = centres.Select(c => ((double)c.R, (double)c.G, (double)c.B)).ToList();
        var memo = new Dictionary<int, int>();
        var result = new int[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            if (p < 0)
            {
                result[i] = -1;
                continue;
            }

            if (!memo.TryGetValue(p, out var c))
            {
                c = memo[p] = Nearest(Rgb(p), list);
            }

            result[i] = c;
        }

        return result;
    }

    private static (double R, double G, double B) Rgb(int p) => ((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        ((a.R - b.R) * (a.R - b.R)) + ((a.G - b.G) * (a.G - b.G)) + ((a.B - b.B) * (a.B - b.B));

    private static int Nearest((double R, double G, double B) v, List<(double R, double G, double B)> centres)
    {
        var best = 0;
        for (var c = 1; c < centres.Count; c++)
        {
            if (Distance(v, centres[c]) < Distance(v, centres[best]))
            {
                best = c;
            }
        }

        return best;
    }
}
