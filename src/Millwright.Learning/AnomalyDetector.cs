namespace Millwright.Learning;

/// <summary>
/// An online anomaly detector for one numeric series: each reading is scored in [0, 1] against what was learned
/// from earlier readings only, then learned from. Four views each measure how far a reading is from what they
/// expect (jump from the recent level, distance from the long-run level, distance from this time of day on
/// earlier days, change of the noise level); each view turns its distance into a tail share through its own
/// forgetting histogram of past distances, so a view that is often far off (the daily view on a series without a
/// daily pattern) is discounted by itself. The rarest view wins. Once a series spans three weeks a fifth view
/// compares a reading with this time of day on the same weekday of earlier weeks; a reading it finds usual (a weekend's
/// low) is not rare for being far from the last reading, the long-run level or other days at this time either. A range
/// view counts how often readings fell where this one falls in the range the series showed while young, so a value it
/// never showed stays rare after the moving averages have followed it. The rarest share is discounted by the square root
/// of the readings seen. Within an episode only a reading more surprising
/// than the episode's peak scores in full, so a lasting change is reported when it starts, not at every reading; after a
/// detection only a higher score scores in full for a while (the hold), so an episode is reported once.
/// Memory is bounded (about 3 KB of state with 48 daily buckets, plus 2.3 KB for the weekly view with 84 buckets once a series
/// spans a day) and the work per reading is constant (docs/anomaly-detection.md).
/// Not thread-safe: one owner per series.
/// </summary>
public sealed class AnomalyDetector
{
    internal const int Views = 4;

    /// <summary>Readings larger than this are treated like infinities: squaring them could overflow the statistics.</summary>
    public const double MaxMagnitude = 1e100;

    // The fifth tail histogram judges the recent average of the views' surprise: a run of moderately unusual
    // readings, none rare alone, is what many real faults look like before the value itself is extreme.
    private const int Sustained = Views;

    // The sixth judges the range view's rarity: how often readings as seldom seen as this one came before.
    private const int RangeTail = Views + 1;

    private readonly DetectorOptions _options;
    internal readonly TailHistogram[] Tails;
    internal readonly PeriodicPattern Pattern;

    // The weekly view: allocated once a series spans a day (null until then, and with WeeklyBuckets = 0).
    internal PeriodicPattern? Weekly;
    internal TailHistogram? WeeklyTail;
    internal long Count;
    internal long FirstMs;
    internal long LastMs;
    internal double LastValue;
    internal double IntervalMs;
    internal double Fast;
    internal double JumpVariance;
    internal double ShortVariance;
    internal double Mean;
    internal double Variance;
    internal double MinStep;
    internal double Peak;
    internal long EpisodeStartMs;
    internal bool AfterGap;
    internal double RecentSurprise;
    internal readonly ValueRange Range;

    // The hold after a detection: until the reading count passes HoldUntil, a reading scores in full only if it
    // scores above HoldScore (the highest score since the detection).
    internal long HoldUntil;
    internal double HoldScore;

    public AnomalyDetector(DetectorOptions? options = null)
    {
        _options = options ?? DetectorOptions.Default;
        Tails = new TailHistogram[Views + 2];
        for (var i = 0; i < Tails.Length; i++)
        {
            Tails[i] = new TailHistogram();
        }

        Pattern = new PeriodicPattern(_options.DailyBuckets);
        Range = new ValueRange(_options.RangeBins);
    }

    public DetectorOptions Options => _options;

    /// <summary>Readings learned so far.</summary>
    public long Learned => Count;

    /// <summary>Scores a reading at <paramref name="timestampMs"/> (Unix ms) and, unless it is out of order or not finite, learns it.</summary>
    public AnomalyVerdict Observe(long timestampMs, double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > MaxMagnitude)
        {
            return new AnomalyVerdict(0, AnomalyCause.None, 1, double.NaN, double.NaN, 0, ReadingStatus.NotFinite);
        }

        if (Count == 0)
        {
            Start(timestampMs, value);
            return new AnomalyVerdict(0, AnomalyCause.None, 1, value, value, 0, ReadingStatus.WarmingUp);
        }

        var inOrder = timestampMs > LastMs;
        var elapsed = inOrder ? timestampMs - LastMs : 0;
        var gap = inOrder && Count > 2 && elapsed > _options.GapFactor * IntervalMs;
        Span<double> distance = stackalloc double[Views];
        Measure(timestampMs, value, gap || AfterGap, distance);
        var weekly = WeeklyDistance(timestampMs, value);
        var weeklyJudges = !double.IsNaN(weekly) && timestampMs - FirstMs >= _options.WeeklyAfterDays * PeriodicPattern.DayMs && WeeklyInformative(timestampMs);
        var weeklyTail = weeklyJudges ? WeeklyTail!.Tail(weekly) : 1;

        var rarest = 1.0;
        var cause = AnomalyCause.None;
        var active = 0;
        for (var i = 0; i < Views; i++)
        {
            if (double.IsNaN(distance[i]))
            {
                continue;
            }

            active++;
            var tail = Tails[i].Tail(distance[i]);
            if (weeklyJudges && i <= 2)
            {
                // Usual for this time of the week: not rare for being far from the last reading, the level or other days.
                tail = Math.Max(tail, weeklyTail);
            }

            if (tail < rarest)
            {
                rarest = tail;
                cause = (AnomalyCause)(i + 1);
            }
        }

        if (weeklyJudges)
        {
            active++;
            if (weeklyTail < rarest)
            {
                rarest = weeklyTail;
                cause = AnomalyCause.Pattern;
            }
        }

        var recent = RecentSurprise + _options.SustainedAlpha * (-Math.Log(rarest) - RecentSurprise);
        if (active > 0 && Count > _options.Warmup)
        {
            var sustained = Tails[Sustained].Tail(recent * 4);
            active++;
            if (sustained < rarest)
            {
                rarest = sustained;
                cause = AnomalyCause.Sustained;
            }
        }

        var rangeRarity = Range.Rarity(value);
        if (!double.IsNaN(rangeRarity))
        {
            var tail = Tails[RangeTail].Tail(rangeRarity);
            active++;
            if (tail < rarest)
            {
                rarest = tail;
                cause = AnomalyCause.Level;
            }
        }

        // A one-in-N reading comes about once per N readings: the more a series has seen, the less one such reading
        // means. Beyond SeenReference readings (up to the tail histograms' memory) the share grows with the square
        // root of the readings seen; full scaling, one per reading, missed real faults on NAB.
        var seen = Math.Min(Count, 1 / _options.Forgetting);
        var share = Math.Min(1, rarest * Math.Max(1, active) * Math.Pow(Math.Max(1, seen / _options.SeenReference), _options.SeenExponent));
        var surprise = -Math.Log(share);
        var novel = surprise > Peak;
        var shown = novel ? surprise : surprise * _options.Damping;
        var score = 1 - Math.Exp(-shown / 4);
        var held = Count < HoldUntil && score <= HoldScore;
        if (held)
        {
            score = 1 - Math.Exp(-shown * _options.Damping / 4);
        }

        var (low, high) = Band(timestampMs, cause, weeklyJudges);

        if (!inOrder)
        {
            return new AnomalyVerdict(score, cause, 1 / share, low, high, EpisodeStartMs, ReadingStatus.OutOfOrder);
        }

        var warming = Count < _options.Warmup;
        if (warming)
        {
            score = 0;
        }

        Learn(timestampMs, value, elapsed, gap, distance, surprise);
        LearnWeekly(timestampMs, value, weekly);
        if (active > 0 && Count > _options.Warmup)
        {
            Tails[Sustained].Add(recent * 4, _options.Forgetting);
        }

        RecentSurprise = recent;
        if (!double.IsNaN(rangeRarity))
        {
            Tails[RangeTail].Add(rangeRarity, _options.Forgetting);
        }

        Range.Learn(value, _options.RangeLearning, _options.Forgetting);
        if (!held && score >= _options.DetectionScore)
        {
            // NAB and an operator alike want the first reading of an episode, not the ones after it: hold off
            // for a share of what the series has seen (a window's length on NAB's files), bounded both ways.
            HoldUntil = Count + (long)Math.Min(_options.HoldMax, Math.Max(_options.HoldMin, _options.HoldShare * Count));
            HoldScore = score;
        }

        if (score >= _options.EpisodeScore && EpisodeStartMs == 0)
        {
            EpisodeStartMs = timestampMs;
        }
        else if (score < _options.EpisodeScore && !novel && Peak < 1)
        {
            EpisodeStartMs = 0;
        }

        return new AnomalyVerdict(score, score > 0 ? cause : AnomalyCause.None, 1 / share, low, high,
            score >= _options.EpisodeScore ? EpisodeStartMs : 0, warming ? ReadingStatus.WarmingUp : ReadingStatus.Learned);
    }

    private void Start(long timestampMs, double value)
    {
        Count = 1;
        FirstMs = LastMs = timestampMs;
        LastValue = Fast = Mean = value;
        IntervalMs = 0;
        Pattern.Learn(Pattern.BucketOf(timestampMs), value, 1, _options.PatternDays);
    }

    /// <summary>The smallest spread worth telling apart: half the sensor's step, or a relative epsilon for a constant series.</summary>
    private double Floor() => MinStep > 0 ? MinStep / 2 : 1e-9 * Math.Max(1, Math.Abs(Mean));

    private void Measure(long timestampMs, double value, bool afterGap, Span<double> distance)
    {
        var floor = Floor();
        var floor2 = floor * floor;
        var jump = value - Fast;
        distance[0] = afterGap ? double.NaN : Math.Abs(jump) / Math.Sqrt(JumpVariance + floor2);
        distance[1] = Math.Abs(value - Mean) / Math.Sqrt(Variance + floor2);
        var bucket = Pattern.BucketOf(timestampMs);
        distance[2] = timestampMs - FirstMs >= PeriodicPattern.DayMs && Pattern.Knows(bucket)
            ? Math.Abs(value - Pattern.Mean[bucket]) / Math.Sqrt(Pattern.Variance[bucket] + floor2)
            : double.NaN;
        var a = _options.ShortVarianceAlpha;
        var recent = (1 - a) * ShortVariance + a * jump * jump;
        distance[3] = afterGap ? double.NaN : Math.Abs(Math.Log((recent + floor2) / (JumpVariance + floor2)));
    }

    /// <summary>How far the reading is from this time of the week on earlier weeks; NaN while that bucket is not known.</summary>
    private double WeeklyDistance(long timestampMs, double value)
    {
        if (Weekly is null)
        {
            return double.NaN;
        }

        var bucket = Weekly.BucketOf(timestampMs);
        var floor = Floor();
        return Weekly.Knows(bucket) ? Math.Abs(value - Weekly.Mean[bucket]) / Math.Sqrt(Weekly.Variance[bucket] + (floor * floor)) : double.NaN;
    }

    /// <summary>
    /// Whether the weekly view knows this time of the week much better than the daily view knows this time of day (its
    /// spread at most <see cref="DetectorOptions.WeeklyNarrowing"/> of the daily one's, or of the long-run one before the
    /// daily view knows): only then does the series have a weekly shape worth judging by. Elsewhere the weekly view,
    /// with fewer visits per bucket, would only add noise of its own.
    /// </summary>
    private bool WeeklyInformative(long timestampMs)
    {
        var daily = Pattern.BucketOf(timestampMs);
        var broad = Pattern.Knows(daily) ? Pattern.Variance[daily] : Variance;
        return Weekly!.Variance[Weekly.BucketOf(timestampMs)] <= _options.WeeklyNarrowing * broad;
    }

    /// <summary>
    /// The weekly pattern learns from a series' first day on; its tail histogram learns as soon as a bucket is known,
    /// so the view has a record of its usual distances by the time it judges.
    /// </summary>
    private void LearnWeekly(long timestampMs, double value, double distance)
    {
        if (Weekly is null)
        {
            if (_options.WeeklyBuckets <= 0 || timestampMs - FirstMs < PeriodicPattern.DayMs)
            {
                return;
            }

            Weekly = new PeriodicPattern(_options.WeeklyBuckets, PeriodicPattern.WeekMs);
            WeeklyTail = new TailHistogram();
        }

        if (!double.IsNaN(distance))
        {
            WeeklyTail!.Add(distance, _options.Forgetting);
        }

        Weekly.Learn(Weekly.BucketOf(timestampMs), value, Math.Max(IntervalMs, 1), _options.PatternWeeks);
    }

    private void Learn(long timestampMs, double value, long elapsed, bool gap, ReadOnlySpan<double> distance, double surprise)
    {
        var steps = IntervalMs > 0 ? Math.Clamp(elapsed / IntervalMs, 1, 1000) : 1;
        Peak = Math.Max(surprise, Peak * Math.Pow(_options.PeakDecay, steps));
        for (var i = 0; i < Views; i++)
        {
            if (!double.IsNaN(distance[i]) && Count >= 3)
            {
                Tails[i].Add(distance[i], _options.Forgetting);
            }
        }

        var step = Math.Abs(value - LastValue);
        if (step > 0 && (MinStep == 0 || step < MinStep))
        {
            MinStep = step;
        }

        // The typical interval learns in log space, so one long gap does not drag it far.
        if (!gap)
        {
            IntervalMs = IntervalMs == 0 ? elapsed : Math.Exp(0.95 * Math.Log(IntervalMs) + 0.05 * Math.Log(elapsed));
        }

        var jump = value - Fast;
        if (gap)
        {
            Fast = value;
            AfterGap = true;
        }
        else
        {
            var warm = Count < 1 / _options.ScaleAlpha ? 1.0 / Count : _options.ScaleAlpha;
            JumpVariance += warm * (jump * jump - JumpVariance);
            var a = _options.ShortVarianceAlpha;
            ShortVariance = AfterGap || Count < 3 ? JumpVariance : (1 - a) * ShortVariance + a * jump * jump;
            Fast += _options.FastAlpha * jump;
            AfterGap = false;
        }

        Count++;
        var longAlpha = Math.Max(1.0 / Count, _options.LongAlpha);
        var delta = value - Mean;
        Mean += longAlpha * delta;
        Variance = (1 - longAlpha) * (Variance + longAlpha * delta * delta);
        Pattern.Learn(Pattern.BucketOf(timestampMs), value, Math.Max(IntervalMs, 1), _options.PatternDays);
        LastMs = timestampMs;
        LastValue = value;
    }

    private (double Low, double High) Band(long timestampMs, AnomalyCause cause, bool weeklyJudges)
    {
        var floor = Floor();
        double center, spread;
        var bucket = Pattern.BucketOf(timestampMs);
        if (weeklyJudges && cause is AnomalyCause.Pattern or AnomalyCause.Level or AnomalyCause.None)
        {
            // What this time of the week usually reads.
            var week = Weekly!.BucketOf(timestampMs);
            center = Weekly.Mean[week];
            spread = Math.Sqrt(Weekly.Variance[week]);
        }
        else if (cause == AnomalyCause.Pattern && Pattern.Knows(bucket))
        {
            center = Pattern.Mean[bucket];
            spread = Math.Sqrt(Pattern.Variance[bucket]);
        }
        else if (cause == AnomalyCause.Level)
        {
            center = Mean;
            spread = Math.Sqrt(Variance);
        }
        else
        {
            center = Fast;
            spread = Math.Sqrt(JumpVariance);
        }

        spread = 3 * Math.Max(spread, floor);
        return (center - spread, center + spread);
    }
}
