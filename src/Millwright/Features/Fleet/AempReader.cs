using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Fleet;

/// <summary>
/// Turns a machine's telemetry into ISO 15143-3 elements: the latest of each from the twin (snapshot), or every
/// occurrence in a range from the time-series store. The mapping is <see cref="AempCatalog"/>'s.
/// </summary>
internal sealed class AempReader(LatestValues latest, TelemetryStorage storage)
{
    public static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    /// <summary>Points of one base tag one time-series request may span; a wider range is refused, naming this bound.</summary>
    public const int MaxSeriesPoints = 100_000;

    /// <summary>The latest occurrence of each element the machine reports, in catalog order.</summary>
    /// <summary>Whether any element's base tag has its latest value in [from, to): the snapshot's time filter, from memory.</summary>
    public bool ReportedWithin(long tenant, long machine, long from, long to) =>
        latest.Of(tenant, machine).Any(r => r.Timestamp >= from && r.Timestamp < to && AempCatalog.BaseTags.Contains(r.Tag));

    public async Task<IReadOnlyList<AempRecord>> LatestAsync(long tenant, long machine, CancellationToken ct)
    {
        var now = latest.Of(tenant, machine).ToDictionary(r => r.Tag, StringComparer.Ordinal);
        var records = new List<AempRecord>();
        foreach (var element in AempCatalog.Elements)
        {
            if (!now.TryGetValue(element.BaseTag, out var basis))
            {
                continue;
            }

            double? derived = element.Derivation == AempDerivation.None ? null
                : await DeriveAsync(element, new SeriesKey(tenant, machine, element.BaseTag), basis.Timestamp, ct);
            var values = new List<AempValue>();
            foreach (var field in element.Fields)
            {
                object? value = field.Source switch
                {
                    AempSource.Fixed => field.Text,
                    AempSource.Derived => derived,
                    _ => now.TryGetValue(field.Tag!, out var r) ? r.Value.AsObject() : null,
                };
                if (value is not null)
                {
                    values.Add(new AempValue(field.Name, value));
                }
            }

            records.Add(new AempRecord(element.Name, basis.Timestamp, values));
        }

        return records;
    }

    /// <summary>
    /// Every occurrence of <paramref name="element"/> in [from, to), oldest first: one per point of its base tag,
    /// the other tags read at the same time (or the latest before it within the page).
    /// </summary>
    public async Task<(IReadOnlyList<AempRecord> Records, int Total)> SeriesAsync(
        long tenant, long machine, AempElement element, long from, long to, int page, int size, CancellationToken ct)
    {
        var key = new SeriesKey(tenant, machine, element.BaseTag);
        var all = await ReadAsync(key, from, to, ct);
        var basePoints = all.Skip((page - 1) * size).Take(size).ToList();
        if (basePoints.Count == 0)
        {
            return ([], all.Count);
        }

        var others = new Dictionary<string, IReadOnlyList<(long At, object Value)>>(StringComparer.Ordinal);
        foreach (var tag in element.Tags.Skip(1))
        {
            others[tag] = await ReadAsync(new SeriesKey(tenant, machine, tag), basePoints[0].At, basePoints[^1].At + 1, ct);
        }

        // Derived elements need the 24 hours before the first point too.
        var window = element.Derivation == AempDerivation.None ? null : await ReadNumbersAsync(key, basePoints[0].At - Day, basePoints[^1].At + 1, ct);
        var records = new List<AempRecord>(basePoints.Count);
        var cursors = others.Keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var windowStart = 0;
        var windowEnd = 0;
        foreach (var (at, baseValue) in basePoints)
        {
            double? derived = null;
            if (window is not null)
            {
                while (windowEnd < window.Count && window[windowEnd].At <= at)
                {
                    windowEnd++;
                }

                while (windowStart < windowEnd && window[windowStart].At < at - Day)
                {
                    windowStart++;
                }

                derived = Derive(element.Derivation, window, windowStart, windowEnd);
            }

            var values = new List<AempValue>();
            foreach (var field in element.Fields)
            {
                object? value = field.Source switch
                {
                    AempSource.Fixed => field.Text,
                    AempSource.Derived => derived,
                    _ when field.Tag == element.BaseTag => baseValue,
                    _ => At(others[field.Tag!], cursors, field.Tag!, at),
                };
                if (value is not null)
                {
                    values.Add(new AempValue(field.Name, value));
                }
            }

            records.Add(new AempRecord(element.Name, at, values));
        }

        return (records, all.Count);
    }

    /// <summary>Each occurrence of a new non-zero code in [from, to); a code already showing at the first point counts as occurring there.</summary>
    public async Task<(IReadOnlyList<AempRecord> Records, int Total)> CodesAsync(
        long tenant, long machine, AempCodeList list, long from, long to, int page, int size, CancellationToken ct)
    {
        var codes = await ReadNumbersAsync(new SeriesKey(tenant, machine, list.CodeTag), from, to, ct);
        var onsets = new List<(long At, long Code)>();
        double previous = 0;
        foreach (var (at, value) in codes)
        {
            if (value != 0 && value != previous)
            {
                onsets.Add((at, (long)value));
            }

            previous = value;
        }

        var total = onsets.Count;
        onsets = onsets.Skip((page - 1) * size).Take(size).ToList();
        if (onsets.Count == 0)
        {
            return ([], total);
        }

        var span = (From: onsets[0].At, To: onsets[^1].At + 1);
        var modes = list.ModeTag is null ? [] : await ReadAsync(new SeriesKey(tenant, machine, list.ModeTag), span.From, span.To, ct);
        var severities = await ReadAsync(new SeriesKey(tenant, machine, list.SeverityTag), span.From, span.To, ct);
        var cursors = new Dictionary<string, int>(StringComparer.Ordinal) { ["mode"] = 0, ["severity"] = 0 };
        var records = onsets.Select(o =>
        {
            var mode = At(modes, cursors, "mode", o.At);
            var values = new List<AempValue>
            {
                new("CodeIdentifier", mode is null ? o.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{o.Code}/{Convert.ToInt64(mode, System.Globalization.CultureInfo.InvariantCulture)}")),
            };
            if (At(severities, cursors, "severity", o.At) is { } severity)
            {
                values.Add(new AempValue("CodeSeverity", severity));
            }

            values.Add(new AempValue("CodeSource", list.Source));
            return new AempRecord(list.ItemName, o.At, values);
        }).ToList();
        return (records, total);
    }

    private async Task<double?> DeriveAsync(AempElement element, SeriesKey key, long at, CancellationToken ct)
    {
        var window = await ReadNumbersAsync(key, at - Day, at + 1, ct);
        return Derive(element.Derivation, window, 0, window.Count);
    }

    /// <summary>Over window[start, end): the counter's increase (a drop is a reset, counted from zero), or the mean.</summary>
    private static double? Derive(AempDerivation derivation, IReadOnlyList<(long At, double Value)> window, int start, int end)
    {
        if (end <= start)
        {
            return null;
        }

        if (derivation == AempDerivation.Mean24h)
        {
            var sum = 0.0;
            for (var i = start; i < end; i++)
            {
                sum += window[i].Value;
            }

            return Math.Round(sum / (end - start), 6);
        }

        var increase = 0.0;
        for (var i = start + 1; i < end; i++)
        {
            var step = window[i].Value - window[i - 1].Value;
            increase += step >= 0 ? step : window[i].Value;
        }

        return Math.Round(increase, 6);
    }

    /// <summary>The value at <paramref name="at"/> or the latest before it; points are walked forward once per page.</summary>
    private static object? At(IReadOnlyList<(long At, object Value)> points, Dictionary<string, int> cursors, string key, long at)
    {
        var i = cursors[key];
        while (i < points.Count && points[i].At <= at)
        {
            i++;
        }

        cursors[key] = i;
        return i == 0 ? null : points[i - 1].Value;
    }

    private async Task<IReadOnlyList<(long At, object Value)>> ReadAsync(SeriesKey key, long from, long to, CancellationToken ct)
    {
        if (storage.Store.FindSeries(key) is not { } info)
        {
            return [];
        }

        var points = await storage.Store.ReadAsync(key, from, to, MaxSeriesPoints + 1, ct);
        // A series never holds a number that is not finite, so no stored value is null.
        return points.Select(p => (p.Timestamp, TelemetryStorage.ValueOf(info.Kind, p.Number, p.Text).AsObject()!)).ToList();
    }

    private async Task<IReadOnlyList<(long At, double Value)>> ReadNumbersAsync(SeriesKey key, long from, long to, CancellationToken ct)
    {
        if (storage.Store.FindSeries(key) is not { Kind: not SeriesKind.Text })
        {
            return [];
        }

        var points = await storage.Store.ReadAsync(key, from, to, MaxSeriesPoints + 1, ct);
        return points.Select(p => (p.Timestamp, p.Number)).ToList();
    }
}
