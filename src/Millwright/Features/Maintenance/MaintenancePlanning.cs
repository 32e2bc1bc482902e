using System.Globalization;
using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Learning.Risk;
using Millwright.Security;

namespace Millwright.Features.Maintenance;

/// <summary>
/// One planning pass over a tenant's machines (docs/predictive-maintenance.md, "In the calendar"): each machine whose
/// latest safe start (<see cref="MachineRiskDto.MaintainBy"/>) lies within <see cref="MaintenanceOptions.PlanAhead"/>
/// gets a maintenance stop in its site's calendar, at the cheapest start by then (<see cref="MaintenanceSlots"/>,
/// <see cref="MaintenancePlanner"/>). The scheduler plans around planned stops and the state tracker reports the
/// machine as in planned stop, both through the calendar. A stop already planned that still starts in time is kept, so
/// plans do not shift every hour; one that no longer does, or that is no longer needed, is replaced or removed.
/// </summary>
internal sealed class MaintenancePlanning(Sessions sessions, MachineRisk risk, MaintenanceOptions options, IEnumerable<ICalendarListener> listeners, IEnumerable<IMachineLoad> loads)
{
    public async Task<MaintenancePlanDto> PlanAsync(Caller caller, CancellationToken ct)
    {
        var histories = await sessions.RunAsync(caller, risk.HistoriesAsync, ct);
        var assessed = new List<MachineRisk.Assessment>();
        foreach (var history in histories)
        {
            assessed.AddRange(await risk.AssessAsync(caller.Tenant, history, history.Machines.Keys, ct));
        }

        var decisions = await sessions.RunAsync(caller, s => DecideAsync(s, assessed), ct);
        if (decisions.Any(d => d.Action != "kept"))
        {
            foreach (var listener in listeners)
            {
                listener.CalendarChanged(caller.Tenant);
            }
        }

        return new MaintenancePlanDto(decisions, histories.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(histories[0].Now) : DateTimeOffset.UnixEpoch);
    }

    private async Task<List<PlannedMaintenanceDto>> DecideAsync(Session s, List<MachineRisk.Assessment> assessed)
    {
        var now = s.Now;
        var length = (long)options.StopLength.TotalMilliseconds;
        var decisions = new List<PlannedMaintenanceDto>();
        var sites = new Dictionary<long, (CalendarDto Dto, List<PlannedStopDto> Stops, bool Changed)>();
        foreach (var machine in (await MachinesAsync(s)).Where(m => assessed.Any(a => a.Risk.MachineId == m.Id)))
        {
            var assessment = assessed.First(a => a.Risk.MachineId == machine.Id);
            if (!sites.TryGetValue(machine.SiteId, out var site))
            {
                var dto = await SiteCalendars.GetAsync(s, machine.SiteId);
                sites[machine.SiteId] = site = (dto, [.. dto.Calendar.PlannedStops], false);
            }

            var ours = site.Stops.Where(p => p.MachineId == machine.Id && IsOurs(p) && p.To.ToUnixTimeMilliseconds() > now).ToList();
            var due = assessment.Risk.MaintainBy is { } by && by.ToUnixTimeMilliseconds() <= now + assessment.Settings.HorizonMs
                ? by.ToUnixTimeMilliseconds() : (long?)null;
            if (due is not { } deadline)
            {
                // Not needed (any more): the part was renewed, or it degrades slower than feared. A stop under way stays.
                var dropped = ours.Where(p => p.From.ToUnixTimeMilliseconds() > now).ToList();
                foreach (var stop in dropped)
                {
                    site.Stops.Remove(stop);
                    decisions.Add(new PlannedMaintenanceDto(machine.Id, stop.From, stop.To, stop.Reason ?? "", null, null, "removed"));
                }

                sites[machine.SiteId] = site with { Changed = site.Changed || dropped.Count > 0 };
                continue;
            }

            var anyInTime = site.Stops.FirstOrDefault(p => p.MachineId == machine.Id && MachineLife.IsMaintenance(p.Reason)
                && p.To.ToUnixTimeMilliseconds() > now && p.From.ToUnixTimeMilliseconds() <= deadline);
            if (anyInTime is not null)
            {
                decisions.Add(new PlannedMaintenanceDto(machine.Id, anyInTime.From, anyInTime.To, anyInTime.Reason ?? "", assessment.Risk.MaintainBy, null, "kept"));
                continue;
            }

            foreach (var late in ours)
            {
                site.Stops.Remove(late);
            }

            var others = site.Stops.Where(p => p.MachineId is null || p.MachineId == machine.Id).ToList();
            var calendar = new SiteCalendar(TimeZoneInfo.FindSystemTimeZoneById(site.Dto.TimeZone), site.Dto.Calendar with { PlannedStops = others });
            var working = calendar.PlannedFor(machine.Id, now, deadline + length).Busy;
            var work = new List<Interval>();
            foreach (var load in loads)
            {
                work.AddRange(await load.PlannedWorkAsync(s, machine.Id, now, deadline + length));
            }

            var slots = MaintenanceSlots.Between(now, Math.Max(now, deadline), length, (long)options.Step.TotalMilliseconds, working, work, options.WorkWeight);
            var chosen = MaintenancePlanner.Choose(slots, DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(now, deadline)))
                ?? new MaintenanceSlot(DateTimeOffset.FromUnixTimeMilliseconds(now), double.NaN);
            var reason = string.Create(CultureInfo.InvariantCulture, $"{MaintenanceOptions.ReasonPrefix} ({assessment.Risk.Tag}): {assessment.Risk.NextDay:0%} chance of failing within the day; start by {assessment.Risk.MaintainBy:yyyy-MM-dd HH:mm} UTC");
            var planned = new PlannedStopDto(chosen.Start, chosen.Start + options.StopLength, machine.Id, reason);
            site.Stops.Add(planned);
            sites[machine.SiteId] = site with { Changed = true };
            decisions.Add(new PlannedMaintenanceDto(machine.Id, planned.From, planned.To, reason, assessment.Risk.MaintainBy,
                double.IsFinite(chosen.Cost) ? Math.Round(chosen.Cost, 3) : null, ours.Count > 0 ? "moved" : "planned"));
            await s.AuditAsync("plan", "maintenance", machine.Id, string.Create(CultureInfo.InvariantCulture, $"planned maintenance of machine {machine.Id} from {planned.From:u} to {planned.To:u}: {reason}"));
        }

        foreach (var (siteId, site) in sites.Where(x => x.Value.Changed))
        {
            var c = site.Dto.Calendar;
            await SiteCalendars.PutAsync(s, siteId, new CalendarInput(
                [.. c.Shifts.Select(x => new ShiftInput(x.Name, x.Days, x.Start, x.End, [.. x.Breaks.Select(b => new BreakInput(b.Start, b.End))]))],
                c.Holidays,
                [.. site.Stops.Select(p => new PlannedStopInput(p.From, p.To, p.MachineId, p.Reason))]));
        }

        return decisions;
    }

    private static bool IsOurs(PlannedStopDto stop) => (stop.Reason ?? "").StartsWith(MaintenanceOptions.ReasonPrefix, StringComparison.Ordinal);

    private static Task<IReadOnlyList<(long Id, long SiteId)>> MachinesAsync(Session s) =>
        s.QueryAsync<(long Id, long SiteId)>(
            """
            SELECT m.id, a.site_id FROM machines m
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            WHERE m.tenant_id = @Tenant ORDER BY m.id
            """, new { s.Tenant });
}
