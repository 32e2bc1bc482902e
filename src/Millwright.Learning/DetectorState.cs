namespace Millwright.Learning;

/// <summary>
/// Saves and restores an <see cref="AnomalyDetector"/>'s learned state as bytes (little-endian, versioned), so a
/// restarted platform resumes each series where it stopped. Restoring checks the version, the options' shape
/// (bucket counts) and every length, and throws <see cref="FormatException"/> on anything else. Version 2 adds the
/// weekly view after version 1's layout; a version 1 state (saved before it existed) restores without one, and the
/// view then starts learning from the next reading.
/// </summary>
public static class DetectorState
{
    private const byte Version = 2;

    public static byte[] Save(AnomalyDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            w.Write(Version);
            w.Write(detector.Pattern.Buckets);
            w.Write(detector.Count);
            w.Write(detector.FirstMs);
            w.Write(detector.LastMs);
            foreach (var v in Scalars(detector))
            {
                w.Write(v);
            }

            w.Write(detector.EpisodeStartMs);
            w.Write(detector.AfterGap);
            foreach (var tail in detector.Tails)
            {
                WriteTail(w, tail);
            }

            WritePattern(w, detector.Pattern);
            w.Write(detector.Weekly is not null);
            if (detector.Weekly is { } weekly)
            {
                w.Write(weekly.Buckets);
                WriteTail(w, detector.WeeklyTail!);
                WritePattern(w, weekly);
            }
        }

        return buffer.ToArray();
    }

    private static void WriteTail(BinaryWriter w, TailHistogram tail)
    {
        w.Write(tail.Weight);
        w.Write(tail.Total);
        foreach (var c in tail.Counts)
        {
            w.Write(c);
        }
    }

    private static void WritePattern(BinaryWriter w, PeriodicPattern pattern)
    {
        foreach (var array in new[] { pattern.Mean, pattern.Variance, pattern.Weight })
        {
            foreach (var v in array)
            {
                w.Write(v);
            }
        }
    }

    public static AnomalyDetector Restore(ReadOnlySpan<byte> bytes, DetectorOptions? options = null)
    {
        var detector = new AnomalyDetector(options);
        var buckets = detector.Pattern.Buckets;
        var weeklyBuckets = detector.Options.WeeklyBuckets;
        var v1 = 1 + 4 + 8 * 3 + 8 * 11 + 8 + 1 + detector.Tails.Length * 8 * (2 + TailHistogram.Bins) + 3 * 8 * buckets;
        var withWeekly = v1 + 1 + 4 + 8 * (2 + TailHistogram.Bins) + 3 * 8 * weeklyBuckets;
        var version = bytes.Length > 0 ? bytes[0] : 0;
        if (!(version == 1 && bytes.Length == v1) && !(version == Version && (bytes.Length == v1 + 1 || (weeklyBuckets > 0 && bytes.Length == withWeekly))))
        {
            throw new FormatException($"not a version 1 or {Version} detector state of {buckets} daily and {weeklyBuckets} weekly buckets ({bytes.Length} bytes)");
        }

        using var r = new BinaryReader(new MemoryStream(bytes.ToArray()));
        r.ReadByte();
        if (r.ReadInt32() != buckets)
        {
            throw new FormatException("the state was saved with another number of daily buckets");
        }

        detector.Count = r.ReadInt64();
        detector.FirstMs = r.ReadInt64();
        detector.LastMs = r.ReadInt64();
        detector.LastValue = Finite(r);
        detector.IntervalMs = Finite(r);
        detector.Fast = Finite(r);
        detector.JumpVariance = Finite(r);
        detector.ShortVariance = Finite(r);
        detector.Mean = Finite(r);
        detector.Variance = Finite(r);
        detector.MinStep = Finite(r);
        detector.Peak = Finite(r);
        detector.RecentSurprise = Finite(r);
        _ = Finite(r);
        detector.EpisodeStartMs = r.ReadInt64();
        detector.AfterGap = r.ReadBoolean();
        foreach (var tail in detector.Tails)
        {
            ReadTail(r, tail);
        }

        ReadPattern(r, detector.Pattern);
        if (version == Version && r.ReadBoolean())
        {
            if (bytes.Length != withWeekly || r.ReadInt32() != weeklyBuckets)
            {
                throw new FormatException("the state was saved with another number of weekly buckets");
            }

            detector.WeeklyTail = new TailHistogram();
            ReadTail(r, detector.WeeklyTail);
            detector.Weekly = new PeriodicPattern(weeklyBuckets, PeriodicPattern.WeekMs);
            ReadPattern(r, detector.Weekly);
        }
        else if (r.BaseStream.Position != r.BaseStream.Length)
        {
            throw new FormatException("a weekly view was saved where none is announced");
        }

        if (detector.Count < 0)
        {
            throw new FormatException("negative reading count");
        }

        return detector;
    }

    private static void ReadTail(BinaryReader r, TailHistogram tail)
    {
        tail.Weight = Finite(r);
        tail.Total = Finite(r);
        for (var k = 0; k < TailHistogram.Bins; k++)
        {
            tail.Counts[k] = Finite(r);
        }

        if (tail.Weight <= 0)
        {
            throw new FormatException("a histogram weight must be positive");
        }
    }

    private static void ReadPattern(BinaryReader r, PeriodicPattern pattern)
    {
        foreach (var array in new[] { pattern.Mean, pattern.Variance, pattern.Weight })
        {
            for (var k = 0; k < array.Length; k++)
            {
                array[k] = Finite(r);
            }
        }
    }

    // Eleven slots: ten scalars and one spare, so that a later scalar does not change the layout's length.
    private static double[] Scalars(AnomalyDetector d) =>
    [
        d.LastValue, d.IntervalMs, d.Fast, d.JumpVariance, d.ShortVariance, d.Mean, d.Variance, d.MinStep, d.Peak,
        d.RecentSurprise, 0,
    ];

    private static double Finite(BinaryReader r)
    {
        var v = r.ReadDouble();
        return double.IsFinite(v) ? v : throw new FormatException("a state value is not finite");
    }
}
