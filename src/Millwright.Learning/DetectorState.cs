namespace Millwright.Learning;

/// <summary>
/// Saves and restores an <see cref="AnomalyDetector"/>'s learned state as bytes (little-endian, versioned), so a
/// restarted platform resumes each series where it stopped. Restoring checks the version, the options' shape
/// (bucket counts) and every length, and throws <see cref="FormatException"/> on anything else. Version 2 adds the
/// weekly view after version 1's layout; a version 1 state (saved before it existed) restores without one, and the
/// view then starts learning from the next reading. Version 3 adds, after version 2's layout, the hold after a
/// detection and the range view (its learning, range, bins and tail histogram); a version 1 or 2 state restores with
/// no hold and a range view that starts learning its range from the next reading.
/// </summary>
public static class DetectorState
{
    private const byte Version = 3;

    // Versions 1 and 2 saved this many tail histograms; the range view's tail comes in version 3's block.
    private const int OldTails = AnomalyDetector.Views + 1;

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
            foreach (var tail in detector.Tails.Take(OldTails))
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

            w.Write(detector.HoldUntil);
            w.Write(detector.HoldScore);
            var range = detector.Range;
            w.Write(range.Counts.Length);
            w.Write(range.Learned);
            foreach (var v in new[] { range.Min, range.Max, range.Low, range.High, range.Weight, range.Total })
            {
                w.Write(v);
            }

            foreach (var c in range.Counts)
            {
                w.Write(c);
            }

            WriteTail(w, detector.Tails[OldTails]);
        }

        return buffer.ToArray();
    }

    /// <summary>The length of version 3's block after version 2's layout.</summary>
    private static int RangeBlock(int rangeBins) => 8 + 8 + 4 + 8 + (8 * 6) + (8 * (rangeBins + 2)) + (8 * (2 + TailHistogram.Bins));

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
        var v1 = 1 + 4 + 8 * 3 + 8 * 11 + 8 + 1 + OldTails * 8 * (2 + TailHistogram.Bins) + 3 * 8 * buckets;
        var withWeekly = v1 + 1 + 4 + 8 * (2 + TailHistogram.Bins) + 3 * 8 * weeklyBuckets;
        var block = RangeBlock(detector.Options.RangeBins);
        var version = bytes.Length > 0 ? bytes[0] : 0;
        var extra = version == Version ? block : 0;
        if (!(version == 1 && bytes.Length == v1)
            && !(version is 2 or Version && (bytes.Length == v1 + 1 + extra || (weeklyBuckets > 0 && bytes.Length == withWeekly + extra))))
        {
            throw new FormatException($"not a version 1 to {Version} detector state of {buckets} daily and {weeklyBuckets} weekly buckets and {detector.Options.RangeBins} range bins ({bytes.Length} bytes)");
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
        foreach (var tail in detector.Tails.Take(OldTails))
        {
            ReadTail(r, tail);
        }

        ReadPattern(r, detector.Pattern);
        if (version >= 2 && r.ReadBoolean())
        {
            if (bytes.Length != withWeekly + extra || r.ReadInt32() != weeklyBuckets)
            {
                throw new FormatException("the state was saved with another number of weekly buckets");
            }

            detector.WeeklyTail = new TailHistogram();
            ReadTail(r, detector.WeeklyTail);
            detector.Weekly = new PeriodicPattern(weeklyBuckets, PeriodicPattern.WeekMs);
            ReadPattern(r, detector.Weekly);
        }
        else if (r.BaseStream.Position != r.BaseStream.Length - extra)
        {
            throw new FormatException("a weekly view was saved where none is announced");
        }

        if (version == Version)
        {
            ReadHoldAndRange(r, detector);
        }

        if (detector.Count < 0)
        {
            throw new FormatException("negative reading count");
        }

        if (detector.IntervalMs < 0 || detector.JumpVariance < 0 || detector.ShortVariance < 0 || detector.Variance < 0 || detector.MinStep < 0)
        {
            throw new FormatException("a negative interval, variance or step");
        }

        return detector;
    }

    private static void ReadHoldAndRange(BinaryReader r, AnomalyDetector detector)
    {
        detector.HoldUntil = r.ReadInt64();
        detector.HoldScore = Finite(r);
        var range = detector.Range;
        if (r.ReadInt32() != range.Counts.Length)
        {
            throw new FormatException("the state was saved with another number of range bins");
        }

        range.Learned = r.ReadInt64();
        range.Min = Finite(r);
        range.Max = Finite(r);
        range.Low = Finite(r);
        range.High = Finite(r);
        range.Weight = Finite(r);
        range.Total = Finite(r);
        for (var k = 0; k < range.Counts.Length; k++)
        {
            range.Counts[k] = Finite(r);
            if (range.Counts[k] < 0)
            {
                throw new FormatException("a range bin's count is negative");
            }
        }

        ReadTail(r, detector.Tails[OldTails]);
        if (range.Learned < 0 || range.Weight <= 0 || range.Total < 0 || range.Min > range.Max || range.Low > range.High
            || !double.IsFinite(range.High - range.Low) || detector.HoldScore is < 0 or > 1)
        {
            throw new FormatException("the range view or the hold is not consistent");
        }
    }

    private static void ReadTail(BinaryReader r, TailHistogram tail)
    {
        tail.Weight = Finite(r);
        tail.Total = Finite(r);
        for (var k = 0; k < TailHistogram.Bins; k++)
        {
            tail.Counts[k] = Finite(r);
        }

        if (tail.Weight <= 0 || tail.Total < 0 || tail.Counts.Any(c => c < 0))
        {
            throw new FormatException("a histogram weight must be positive and its counts not negative");
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

            if (!ReferenceEquals(array, pattern.Mean) && array.Any(v => v < 0))
            {
                throw new FormatException("a pattern's variance or weight is negative");
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
