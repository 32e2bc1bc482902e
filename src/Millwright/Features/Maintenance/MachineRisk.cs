using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.MachineTypes;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Learning.Risk;
using Millwright.Storage;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Each machine's failure risk from what the platform stores (docs/predictive-maintenance.md): its states (running
/// spells, breakdowns), its maintenance records and its degradation indicator's telemetry, one reading a minute (the last of
/// each minute the machine ran) over the last <see cref="Lookback"/>. The threshold is learned from the breakdowns of
/// every machine of the same type of the tenant. Computed when asked and never stored; RiskCache keeps answers a minute.
/// </summary>
internal sealed class MachineRisk(TelemetryStorage storage, MaintenanceOptions maintenance, TimeProvider clock)
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(60);
    public static readonly TimeSpan BreakdownAtLeast = TimeSpan.FromHours(2.5);
    public static readonly TimeSpan Shift = TimeSpan.FromHours(8);
    private static readonly RiskOptions Options = new();

    /// <summary>
    /// What is read in the tenant's session: a type's indicator, the states of all its machines, and the calendar of
    /// each one's site (its planned stops, and the working time a maintenance stop would cost), and the machines' maintenance records.
    /// </summary>
    public sealed record TypeHistory(
        DegradationIndicator? Indicator, IReadOnlyDictionary<long, MachineLife> Machines, IReadOnlyDictionary<long, CalendarDto> Calendars, long From, long Now, RiskSettingsDto Settings);

    /// <summary>The risk as answered, with what planning needs from it: the part's degradation and the learned threshold.</summary>
    public sealed record Assessment(MachineRiskDto Risk, Degradation Degradation, FailureThreshold? Threshold, RiskSettingsDto Settings);

    /// <summary>Every type's history (the machines of each type of the tenant).</summary>
    public async Task<List<TypeHistory>> HistoriesAsync(Session s)
    {
        var types = await s.QueryAsync<long>("SELECT DISTINCT type_id FROM machines WHERE tenant_id = @Tenant ORDER BY type_id", new { s.Tenant });
        var all = new List<TypeHistory>();
        foreach (var type in types)
        {
            all.Add(await HistoryAsync(s, type));
        }

        return all;
    }

    /// <summary>The states of every machine of the type, within the session (tenant-scoped).</summary>
    public async Task<TypeHistory> HistoryAsync(Session s, long typeId)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var from = now - (long)Lookback.TotalMilliseconds;
        var json = await s.QueryOneAsync<string>("SELECT tags FROM machine_types WHERE tenant_id = @Tenant AND id = @typeId", new { s.Tenant, typeId }) ?? "[]";
        var indicator = RiskIndicators.For(TagJson.Parse(json));
        var ids = await s.QueryAsync<(long Id, long SiteId)>(
            """
            SELECT m.id, a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant AND m.type_id = @typeId ORDER BY m.id
            """, new { s.Tenant, typeId });
        var records = await MaintenanceRecords.OfTypeAsync(s, typeId, from);
        var machines = new Dictionary<long, MachineLife>();
        var calendars = new Dictionary<long, CalendarDto>();
        var sites = new Dictionary<long, CalendarDto>();
        foreach (var (id, site) in ids)
        {
            machines[id] = MachineLife.Of(await MachineStates.IntervalsAsync(s, id, from, now), records[id], from, now, BreakdownAtLeast);
            if (!sites.TryGetValue(site, out var calendar))
            {
                sites[site] = calendar = await SiteCalendars.GetAsync(s, site);
            }

            calendars[id] = calendar;
        }

        return new TypeHistory(indicator, machines, calendars, from, now, await RiskSettings.InForceAsync(s, typeId, maintenance));
    }

    /// <summary>The risk of each of <paramref name="machineIds"/> (machines of the history's type), from their telemetry.</summary>
    public async Task<List<MachineRiskDto>> EstimateAsync(long tenant, TypeHistory history, IEnumerable<long> machineIds, CancellationToken ct) =>
        [.. (await AssessAsync(tenant, history, machineIds, ct)).Select(a => history.Machines.TryGetValue(a.Risk.MachineId, out var life)
            ? a.Risk with { LastMaintenance = life.LastRecord?.AsDto(), UnrecordedBreakdown = life.UnrecordedBreakdown?.AsDto(), UnconfirmedStop = Unconfirmed(history, a.Risk.MachineId, life) }
            : a.Risk)];

    /// <summary>The machine's newest maintenance stop that has begun since its last record and is not confirmed: the operator's to confirm.</summary>
    private static PlannedStopDto? Unconfirmed(TypeHistory history, long id, MachineLife life) =>
        history.Calendars.TryGetValue(id, out var calendar)
            ? calendar.Calendar.PlannedStops.Where(p => p.MachineId == id && MachineLife.IsMaintenance(p.Reason)
                    && p.From.ToUnixTimeMilliseconds() is var from && from <= history.Now && from >= history.From && from >= (life.LastRecord?.DoneAt ?? long.MinValue)
                    && !life.ConfirmedStops.Contains(from))
                .MaxBy(p => p.From)
            : null;

    /// <summary>The risk of each of <paramref name="machineIds"/> with the degradation and threshold it came from.</summary>
    public async Task<List<Assessment>> AssessAsync(long tenant, TypeHistory history, IEnumerable<long> machineIds, CancellationToken ct)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(history.Now);
        if (history.Indicator is not { } none)
        {
            return [.. machineIds.Select(id => new Assessment(
                new MachineRiskDto(id, "no-indicator", null, null, null, null, null, null, Share(history, id), null, 0, at, null, RiskExplanation.NoIndicator, Planned(history, id)),
                Degradation.None, null, history.Settings))];
        }

        var indicator = none;

        // Only parts whose fitting is in the record teach: their own first hours are their healthy level, and the
        // excess they failed at is measured from it. A part already in place when the record begins is measured from
        // the type's healthy level instead (the median of the recorded parts'), and its failure teaches nothing.
        var excesses = new List<double>();
        var healthy = new List<double>();
        var readingsOf = new Dictionary<long, List<IndicatorReading>>();
        foreach (var (id, life) in history.Machines)
        {
            var readings = readingsOf[id] = await ReadingsAsync(new SeriesKey(tenant, id, indicator.Tag), life, history.From, history.Now, ct);
            foreach (var (start, _) in life.Breakdowns)
            {
                if (life.RenewedBefore(start) is not { } fitted)
                {
                    continue;
                }

                var before = Degradation.Of(Between(readings, fitted, start), indicator, Options);
                if (before.Known)
                {
                    excesses.Add(before.Excess);
                    healthy.Add(before.Baseline);
                }
            }

            if (life.RenewedBefore(history.Now + 1) is { } renewed && Degradation.Of(Between(readings, renewed, history.Now + 1), indicator, Options) is { Known: true } part)
            {
                healthy.Add(part.Baseline);
            }
        }

        double? level = healthy.Count > 0 ? healthy.Order().ElementAt(healthy.Count / 2) : null;
        var current = new Dictionary<long, (Degradation Degradation, long? Since)>();
        foreach (var (id, life) in history.Machines)
        {
            var renewed = life.RenewedBefore(history.Now + 1);
            var degradation = renewed is { } fitted
                ? Degradation.Of(Between(readingsOf[id], fitted, history.Now + 1), indicator, Options)
                : level is { } known ? Degradation.Of(Between(readingsOf[id], history.From, history.Now + 1), indicator, Options, known) : Degradation.None;
            current[id] = (degradation, renewed);
        }

        var threshold = FailureThreshold.Learn(excesses, Options);
        var opportunity = Opportunity(history);
        return [.. machineIds.Select(id =>
        {
            var share = Share(history, id);
            var (degradation, since) = current.GetValueOrDefault(id, (Degradation.None, null));
            var partSince = since is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : (DateTimeOffset?)null;
            var planned = Planned(history, id);
            if (threshold is null || !degradation.Known)
            {
                var explanation = threshold is null ? RiskExplanation.Learning(indicator.Tag, excesses.Count, Options.MinFailures) : RiskExplanation.NewPart(indicator.Tag, partSince, degradation);
                return new Assessment(new MachineRiskDto(id, threshold is null ? "learning" : "new-part", indicator.Tag, null, null, null,
                    degradation.Known ? degradation.Excess : null, degradation.Known ? degradation.Rate : null, share, partSince, excesses.Count, at, null, explanation, planned),
                    degradation, threshold, history.Settings);
            }

            var risk = FailureRisk.Estimate(degradation, threshold, share, Shift);
            var accepted = history.Settings.AcceptedRisk;
            var maintainBy = MaintenancePlanner.Deadline(at, degradation, threshold, share, accepted);
            var (stopped, marginal) = StoppedNow(history, id, opportunity);
            bool? renewDuringStop = stopped is not null && opportunity is { } costs
                ? OpportunisticRenewal.RenewNow(FailureRisk.HoursUntilRisk(degradation, threshold, share, accepted), degradation, threshold, share, costs with { Marginal = marginal })
                : null;
            return new Assessment(new MachineRiskDto(id, "ok", indicator.Tag, risk.NextShift, risk.NextDay, risk.HoursToMedianFailure, degradation.Excess, degradation.Rate,
                share, partSince, excesses.Count, at, maintainBy, RiskExplanation.Ok(indicator, risk, partSince, maintainBy, accepted) + RiskExplanation.AtStop(stopped, renewDuringStop), planned)
                { RenewDuringStop = renewDuringStop },
                degradation, threshold, history.Settings);
        })];
    }

    /// <summary>
    /// The opportunistic renewal's costs from the type's stored states: how often and how long its machines were down,
    /// how long parts whose fitting is on record lasted to their breakdown, and how long those repairs took; null until
    /// each is known. A renewal at a stop of its own costs <see cref="RiskOptions.RenewalCost"/>; one during a repair
    /// the part of <see cref="MaintenanceOptions.StopLength"/> that outlasts the repair.
    /// </summary>
    private OpportunityCosts? Opportunity(TypeHistory history)
    {
        var lives = new List<double>();
        var repairs = new List<double>();
        foreach (var life in history.Machines.Values)
        {
            foreach (var (start, end) in life.Breakdowns)
            {
                repairs.Add((end - start) / 3_600_000.0);
                if (life.RenewedBefore(start) is { } fitted)
                {
                    lives.Add((start - fitted) / 3_600_000.0);
                }
            }
        }

        return OpportunityCosts.Learn(Options.RenewalCost, maintenance.StopLength.TotalHours, [.. history.Machines.Values.SelectMany(l => l.DownSpellHours)],
            history.Machines.Values.Sum(l => l.ObservedHours), lives, repairs);
    }

    /// <summary>
    /// Whether the machine is stopped anyway now ("down" for a repair, or "planned stop" in a planned stop of its site's
    /// calendar for it or for the whole site that is not a maintenance stop), and what renewing its part then costs
    /// beyond that stop: the learned mean for a repair, whose end is unknown; for a planned stop, the part of the stop
    /// length that outlasts what is left of it.
    /// </summary>
    private (string? Stopped, double Marginal) StoppedNow(TypeHistory history, long id, OpportunityCosts? costs)
    {
        if (costs is null || !history.Machines.TryGetValue(id, out var life))
        {
            return (null, 0);
        }

        if (life.DownSince is not null)
        {
            return ("down", costs.Marginal);
        }

        var stop = history.Calendars.TryGetValue(id, out var calendar)
            ? calendar.Calendar.PlannedStops.FirstOrDefault(p => (p.MachineId == id || p.MachineId is null) && !MachineLife.IsMaintenance(p.Reason)
                && p.From.ToUnixTimeMilliseconds() <= history.Now && p.To.ToUnixTimeMilliseconds() > history.Now)
            : null;
        return stop is null ? (null, 0)
            : ("planned stop", Math.Max(0, maintenance.StopLength.TotalHours - ((stop.To.ToUnixTimeMilliseconds() - history.Now) / 3_600_000.0)));
    }

    /// <summary>The machine's maintenance stop in the calendar that has not ended yet (the platform's or an operator's), if any.</summary>
    private static PlannedStopDto? Planned(TypeHistory history, long id) =>
        history.Calendars.TryGetValue(id, out var calendar)
            ? calendar.Calendar.PlannedStops.FirstOrDefault(p => p.MachineId == id && p.To.ToUnixTimeMilliseconds() > history.Now && MachineLife.IsMaintenance(p.Reason))
            : null;

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
