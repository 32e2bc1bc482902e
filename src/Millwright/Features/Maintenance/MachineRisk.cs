using Millwright.Api;
using Millwright.Features.MachineTypes;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Learning.Risk;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Each machine's failure risk from what the platform stores (docs/predictive-maintenance.md): its states (running
/// spells, breakdowns, maintenance stops) and its degradation indicator's telemetry, one reading a minute (the last of
/// each minute the machine ran) over the last <see cref="Lookback"/>. The threshold is learned from the breakdowns of
/// every machine of the same type of the tenant. Computed on request; nothing is stored.
/// </summary>
internal sealed class MachineRisk(TelemetryStorage storage, TimeProvider clock)
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(60);
    public static readonly TimeSpan BreakdownAtLeast = TimeSpan.FromHours(2.5);
    public static readonly TimeSpan Shift = TimeSpan.FromHours(8);
    private static readonly RiskOptions Options = new();

    /// <summary>What is read in the tenant's session: a type's indicator and the states of all its machines.</summary>
    public sealed record TypeHistory(DegradationIndicator? Indicator, IReadOnlyDictionary<long, MachineLife> Machines, long From, long Now);

    /// <summary>The states of every machine of the type, within the session (tenant-scoped).</summary>
    public async Task<TypeHistory> HistoryAsync(Session s, long typeId)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var from = now - (long)Lookback.TotalMilliseconds;
        var json = await s.QueryOneAsync<string>("SELECT tags FROM machine_types WHERE tenant_id = @Tenant AND id = @typeId", new { s.Tenant, typeId }) ?? "[]";
        var indicator = RiskIndicators.For(TagJson.Parse(json));
        var ids = await s.QueryAsync<long>("SELECT id FROM machines WHERE tenant_id = @Tenant AND type_id = @typeId ORDER BY id", new { s.Tenant, typeId });
        var machines = new Dictionary<long, MachineLife>();
        foreach (var id in ids)
        {
            machines[id] = MachineLife.Of(await MachineStates.IntervalsAsync(s, id, from, now), from, now, BreakdownAtLeast);
        }

        return new TypeHistory(indicator, machines, from, now);
    }

    /// <summary>The risk of each of <paramref name="machineIds"/> (machines of the history's type), from their telemetry.</summary>
    public async Task<List<MachineRiskDto>> EstimateAsync(long tenant, TypeHistory history, IEnumerable<long> machineIds, CancellationToken ct)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(history.Now);
        if (history.Indicator is not { } indicator)
        {
            return [.. machineIds.Select(id => new MachineRiskDto(id, "no-indicator", null, null, null, null, null, null, Share(history, id), null, 0, at))];
        }

        var excesses = new List<double>();
        var current = new Dictionary<long, (Degradation Degradation, long? Since)>();
        foreach (var (id, life) in history.Machines)
        {
            var readings = await ReadingsAsync(new SeriesKey(tenant, id, indicator.Tag), life, history.From, history.Now, ct);
            foreach (var (start, _) in life.Breakdowns)
            {
                // A breakdown without enough readings before it (its part's life began before the lookback, or it
                // reported nothing) teaches nothing about the threshold.
                var before = Degradation.Of(Between(readings, life.RenewedBefore(start) ?? history.From, start), indicator, Options);
                if (before.Known)
                {
                    excesses.Add(before.Excess);
                }
            }

            var renewed = life.RenewedBefore(history.Now + 1);
            current[id] = (Degradation.Of(Between(readings, renewed ?? history.From, history.Now + 1), indicator, Options), renewed);
        }

        var threshold = FailureThreshold.Learn(excesses, Options);
        return [.. machineIds.Select(id =>
        {
            var share = Share(history, id);
            var (degradation, since) = current.GetValueOrDefault(id, (Degradation.None, null));
            var partSince = since is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : (DateTimeOffset?)null;
            if (threshold is null || !degradation.Known)
            {
                return new MachineRiskDto(id, threshold is null ? "learning" : "new-part", indicator.Tag, null, null, null,
                    degradation.Known ? degradation.Excess : null, degradation.Known ? degradation.Rate : null, share, partSince, excesses.Count, at);
            }

            var risk = FailureRisk.Estimate(degradation, threshold, share, Shift);
            return new MachineRiskDto(id, "ok", indicator.Tag, risk.NextShift, risk.NextDay, risk.HoursToMedianFailure, degradation.Excess, degradation.Rate,
                share, partSince, excesses.Count, at);
        })];
    }

    private static double Share(TypeHistory history, long id) => history.Machines.TryGetValue(id, out var life) ? Math.Round(life.RunningShare, 4) : 0;

    /// <summary>One reading a minute while the machine ran: the last value of each such minute.</summary>
    private async Task<List<IndicatorReading>> ReadingsAsync(SeriesKey series, MachineLife life, long from, long now, CancellationToken ct)
    {
        if (life.Running.Count == 0)
        {
            return [];
        }

        var buckets = await storage.Store.AggregateAsync(series, from / 60_000 * 60_000, now, 60_000, ct);
        var readings = new List<IndicatorReading>();
        var spell = 0;
        foreach (var bucket in buckets)
        {
            // Both are in time order: walk the running spells alongside the minutes.
            while (spell < life.Running.Count && life.Running[spell].End <= bucket.Start)
            {
                spell++;
            }

            if (spell < life.Running.Count && life.Running[spell].Start <= bucket.Start && bucket.Count > 0)
            {
                readings.Add(new IndicatorReading(bucket.Start, bucket.Last));
            }
        }

        return readings;
    }

    private static List<IndicatorReading> Between(List<IndicatorReading> readings, long from, long to) =>
        [.. readings.Where(r => r.AtMs >= from && r.AtMs < to)];
}
