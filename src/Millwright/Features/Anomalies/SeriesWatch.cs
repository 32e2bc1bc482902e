using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>
/// One watched series (a machine's tag): a detector per context (the machine state, running or idle or one for any
/// state, with the program it runs or the set-up it follows), at most <see cref="MaxContexts"/> of them, the discounts
/// operator feedback taught it per kind of deviation, and whether its anomaly alarm is open. Guarded by its
/// <see cref="MachineWatch"/>'s lock.
/// </summary>
internal sealed class SeriesWatch(long id, string tag)
{
    /// <summary>
    /// Contexts kept per series: the running and idle baselines of the last four programs. A machine that changes
    /// program often would otherwise grow without bound; the least recently used context goes, and learns again if
    /// its program comes back.
    /// </summary>
    public const int MaxContexts = 8;

    public long Id { get; } = id;

    public string Tag { get; } = tag;

    /// <summary>By <see cref="AnomalyCause"/> - 1: surprise (ln of "1 in N") taken off before a reading is judged.</summary>
    public double[] Discounts { get; } = new double[5];

    public Dictionary<string, ContextDetector> Contexts { get; } = new(StringComparer.Ordinal);

    /// <summary>Contexts dropped for the cap whose saved detectors the next save deletes.</summary>
    public HashSet<string> Evicted { get; } = new(StringComparer.Ordinal);

    public bool AlarmOpen { get; set; }

    /// <summary>Ordinary readings since the last anomalous one, while an alarm is open.</summary>
    public int Quiet { get; set; }

    /// <summary>The minute of expected range being gathered; null before the first scored reading.</summary>
    public AnomalyBand? OpenBand { get; private set; }

    /// <summary>Finished minutes not yet written to the store (the watcher writes them every BandFlushEvery).</summary>
    public List<AnomalyBand> ClosedBands { get; } = [];

    /// <summary>
    /// Adds a scored reading's expected range to its minute. A reading of an earlier minute than the open one (out of
    /// order) is left out: the band follows reading time forwards, as the detector learns.
    /// </summary>
    public void RecordBand(long at, string context, double low, double high, double score)
    {
        var minute = AnomalyBand.MinuteOf(at);
        if (OpenBand is { } open && minute == open.Minute)
        {
            open.Add(context, low, high, score);
            return;
        }

        if (OpenBand is { } finished)
        {
            if (minute < finished.Minute)
            {
                return;
            }

            ClosedBands.Add(finished);
        }

        OpenBand = AnomalyBand.Start(Id, at, context, low, high, score);
    }

    /// <summary>Every minute not yet stored, the open one included when <paramref name="open"/> (at shutdown), and forgets them.</summary>
    public List<AnomalyBand> TakeBands(bool open)
    {
        var taken = new List<AnomalyBand>(ClosedBands);
        ClosedBands.Clear();
        if (open && OpenBand is { } band)
        {
            taken.Add(band);
            OpenBand = null;
        }

        return taken;
    }

    /// <summary>The alarm rule id of this series' anomalies: negative, so it never meets a rule of the alarm_rules table.</summary>
    public long RuleId => -Id;

    public ContextDetector For(string context)
    {
        if (!Contexts.TryGetValue(context, out var detector))
        {
            if (Contexts.Count >= MaxContexts)
            {
                // A restored context not used since the start has no LastAt: it goes first, the least recently saved of them
                // first (restored in that order; MinBy keeps the first of equals).
                var oldest = Contexts.MinBy(c => c.Value.LastAt ?? long.MinValue).Key;
                Contexts.Remove(oldest);
                Evicted.Add(oldest);
            }

            detector = new ContextDetector(new AnomalyDetector());
            Contexts[context] = detector;
            Evicted.Remove(context);
        }

        return detector;
    }

    public double Discount(AnomalyCause cause) => cause == AnomalyCause.None ? 0 : Discounts[(int)cause - 1];
}
