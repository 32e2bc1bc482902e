using Millwright.Api;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Storage.TimeSeries;

namespace Millwright.Features.Energy;

/// <summary>
/// Energy of a machine, line, site or tenant over a range: each machine's meter counter read as minute increases
/// from the time-series store, split by the machine's states, summed into 15-minute demand intervals, and set
/// against the good units it made.
/// </summary>
internal static class EnergyReport
{
    /// <summary>A range is read as minute rollups; a month of a site's machines stays a bounded read.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    private sealed record Source(long MeterMachineId, string Tag, double KwhPerUnit);

    public static async Task<EnergyReportDto> RunAsync(Session s, EnergyQuery query, TimeSeriesStore store, CancellationToken ct)
    {
        if (new[] { query.Machine, query.Line, query.Site }.Count(x => x is not null) > 1)
        {
            throw ApiProblem.Invalid("machine", "give at most one of machine, line or site");
        }

        var (from, to) = TimeRange.Of(query.From, query.To, s.Now, MaxRange);
        var (scope, id) = query switch
        {
            { Machine: { } m } => ("machine", (long?)m),
            { Line: { } l } => ("line", l),
            { Site: { } x } => ("site", x),
            _ => ("tenant", (long?)null),
        };
        var machines = await MachinesOfAsync(s, scope, id);
        var rows = new List<MachineEnergyDto>(machines.Count);
        var allStates = new Dictionary<string, double>(StringComparer.Ordinal);
        var allDemand = new SortedDictionary<long, double>();
        double allGood = 0;
        foreach (var (machineId, name) in machines)
        {
            ct.ThrowIfCancellationRequested();
            var source = await SourceOfAsync(s, machineId);
            var good = await GoodUnitsAsync(s, machineId, from, to);
            allGood += good;
            var demand = new SortedDictionary<long, double>();
            if (source is null)
            {
                rows.Add(new MachineEnergyDto(machineId, name, null, null, EnergyMath.Figures(new Dictionary<string, double>(), demand, good)));
                continue;
            }

            var minutes = await MinutesAsync(store, new SeriesKey(s.Tenant, source.MeterMachineId, source.Tag), source.KwhPerUnit, from, to, ct);
            var states = await MachineStates.IntervalsAsync(s, machineId, from, to);
            var byState = EnergyMath.ByState(minutes, states);
            EnergyMath.AddDemand(minutes, demand);
            foreach (var (state, kwh) in byState)
            {
                allStates[state] = allStates.GetValueOrDefault(state) + kwh;
            }

            foreach (var (at, kwh) in demand)
            {
                allDemand[at] = allDemand.GetValueOrDefault(at) + kwh;
            }

            rows.Add(new MachineEnergyDto(machineId, name, source.MeterMachineId, source.Tag, EnergyMath.Figures(byState, demand, good)));
        }

        return new EnergyReportDto(scope, id, DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to),
            EnergyMath.Figures(allStates, allDemand, allGood), rows,
            allDemand.Select(d => new DemandDto(DateTimeOffset.FromUnixTimeMilliseconds(d.Key), d.Value * (3_600_000.0 / EnergyMath.DemandInterval))).ToList());
    }

    /// <summary>The machine's meter; without one, its own type's energy counter read as kWh; else none.</summary>
    private static async Task<Source?> SourceOfAsync(Session s, long machineId)
    {
        if (await EnergyMeters.FindAsync(s, machineId) is { } meter)
        {
            return new Source(meter.MeterMachineId, meter.CounterTag, EnergyMeters.Units[meter.Unit]);
        }

        var rules = await StateRules.OfMachineAsync(s, machineId);
        return rules.EnergyCounter is { } tag ? new Source(machineId, tag, 1) : null;
    }

    private static async Task<List<(long At, double Kwh)>> MinutesAsync(TimeSeriesStore store, SeriesKey key, double kwhPerUnit, long from, long to, CancellationToken ct)
    {
        if (store.FindSeries(key) is null)
        {
            return [];
        }

        var buckets = await store.AggregateAsync(key, from, to, EnergyMath.Minute, ct);
        return buckets.Where(b => b.Increase is > 0).Select(b => (b.Start, b.Increase!.Value * kwhPerUnit)).ToList();
    }

    private static async Task<double> GoodUnitsAsync(Session s, long machineId, long from, long to)
    {
        var counts = await Kpis.Kpis.CountsAsync(s, machineId, from, to);
        return Math.Max(0, counts.Sum(c => c.Produced) - counts.Sum(c => c.Scrap));
    }

    private static async Task<IReadOnlyList<(long Id, string Name)>> MachinesOfAsync(Session s, string scope, long? id)
    {
        switch (scope)
        {
            case "machine":
                var machine = await Machines.Machines.GetAsync(s, id!.Value);
                return [(machine.Id, machine.Name)];
            case "line":
                await Lines.Lines.GetAsync(s, id!.Value);
                break;
            case "site":
                await Sites.Sites.GetAsync(s, id!.Value);
                break;
        }

        return await s.QueryAsync<(long Id, string Name)>(
            """
            SELECT m.id, m.name FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant AND (@Line IS NULL OR m.line_id = @Line) AND (@Site IS NULL OR a.site_id = @Site)
            ORDER BY m.id
            """,
            new { s.Tenant, Line = scope == "line" ? id : null, Site = scope == "site" ? id : null });
    }
}
