namespace Millwright.Tailoring;

/// <summary>
/// xoshiro256** with SplitMix64 seeding: a generator of our own so that a seed gives the same bodies on every
/// runtime version (System.Random's seeded algorithm is not a documented contract).
/// </summary>
internal struct Xoshiro
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>A generator for one chunk of work, independent of how chunks are spread over threads.</summary>
    public static Xoshiro ForStream(ulong seed, ulong stream) => new(seed * 0x9E3779B97F4A7C15UL ^ (stream + 1) * 0xD1B54A32D192ED03UL);

    public ulong Next()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in the open interval (0, 1): never 0, so its logarithm is finite.</summary>
    public double NextDouble() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Two independent standard normals (Marsaglia's polar method).</summary>
    public (double, double) NextNormals()
    {
        while (true)
        {
            var u = 2 * NextDouble() - 1;
            var v = 2 * NextDouble() - 1;
            var s = u * u + v * v;
            if (s is > 0 and < 1)
            {
                var f = Math.Sqrt(-2 * Math.Log(s) / s);
                return (u * f, v * f);
            }
        }
    }

    public void FillNormals(Span<double> target)
    {
        var i = 0;
        for (; i + 1 < target.Length; i += 2)
        {
            (target[i], target[i + 1]) = NextNormals();
        }

        if (i < target.Length)
        {
            target[i] = NextNormals().Item1;
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
