using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Features.Telemetry;

namespace Millwright.Features.Fleet;

/// <summary>
/// Services done on fleet machines, planned service visits (planned stops in the machine's site calendar, so
/// states, KPIs and the allocation see the machine away) and the due-soon / overdue list.
/// </summary>
internal static class FleetMaintenance
{
    public const string VisitPrefix = "service: ";

    public static async Task<IReadOnlyList<ServiceDto>> ServicesAsync(Session s, long machineId)
    {
        await FleetEquipment.GetAsync(s, machineId);
        var rows = await s.QueryAsync<ServiceRow>(
            """
            SELECT f.id AS Id, f.machine_id AS MachineId, f.interval_id AS IntervalId, i.name AS Interval, f.done_at AS DoneAt, f.operating_hours AS OperatingHours, f.note AS Note
            FROM fleet_services f JOIN fleet_service_intervals i ON i.tenant_id = f.tenant_id AND i.id = f.interval_id
            WHERE f.tenant_id = @Tenant AND f.machine_id = @machineId ORDER BY f.done_at DESC, f.id DESC LIMIT 1000
            """, new { s.Tenant, machineId });
        return rows.Select(r => r.AsDto()).ToList();
    }

    public static async Task<ServiceDto> RecordAsync(Session s, LatestValues latest, long machineId, ServiceInput input)
    {
        var equipment = await FleetEquipment.GetAsync(s, machineId);
        var interval = await IntervalOfAsync(s, equipment, input.IntervalId);
        var doneAt = input.DoneAt?.ToUnixTimeMilliseconds() ?? s.Now;
        if (doneAt > s.Now)
        {
            throw ApiProblem.Invalid("doneAt", "a service cannot be recorded before it is done");
        }

        var hours = input.OperatingHours ?? OperatingHours(latest, s.Tenant, machineId)
            ?? throw ApiProblem.Invalid("operatingHours", "the machine has reported no engine_hours yet: give the hour meter reading");
        if (!(hours >= 0 && hours <= 1_000_000))
        {
            throw ApiProblem.Invalid("operatingHours", "must be 0..1000000");
        }

        var v = new Validator();
        var note = v.Description("note", input.Note);
        v.ThrowIfInvalid();
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO fleet_services (tenant_id, machine_id, interval_id, done_at, operating_hours, note, created_at)
            VALUES (@Tenant, @machineId, @intervalId, @doneAt, @hours, @note, @Now) RETURNING id
            """, new { s.Tenant, machineId, intervalId = interval.Id, doneAt, hours, note, s.Now });
        await s.AuditAsync("create", "fleet-service", id, FormattableString.Invariant($"'{interval.Name}' done on '{equipment.EquipmentId}' at {hours} h"));
        return (await ServicesAsync(s, machineId)).Single(x => x.Id == id);
    }

    /// <summary>Adds the visit to the calendar of the machine's site as a planned stop of that machine.</summary>
    public static async Task<ServiceVisitDto> PlanVisitAsync(Session s, long machineId, ServiceVisitInput input)
    {
        var equipment = await FleetEquipment.GetAsync(s, machineId);
        var interval = await IntervalOfAsync(s, equipment, input.IntervalId);
        if (input.From is not { } from || input.To is not { } to || from >= to)
        {
            throw ApiProblem.Invalid("from", "needs from and to, with from before to");
        }

        var siteId = await s.ScalarAsync<long>(
            """
            SELECT a.site_id FROM machines m JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE m.tenant_id = @Tenant AND m.id = @machineId
            """, new { s.Tenant, machineId });
        var calendar = (await SiteCalendars.GetAsync(s, siteId)).Calendar;
        var reason = VisitPrefix + interval.Name;
        var input2 = new CalendarInput(
            calendar.Shifts.Select(x => (ShiftInput?)new ShiftInput(x.Name, x.Days.ToList<string?>(), x.Start, x.End, x.Breaks.Select(b => (BreakInput?)new BreakInput(b.Start, b.End)).ToList())).ToList(),
            calendar.Holidays.ToList<string?>(),
            [.. calendar.PlannedStops.Select(p => (PlannedStopInput?)new PlannedStopInput(p.From, p.To, p.MachineId, p.Reason)), new PlannedStopInput(from, to, machineId, reason)]);
        await SiteCalendars.PutAsync(s, siteId, input2);
        return new ServiceVisitDto(machineId, siteId, from.ToUniversalTime(), to.ToUniversalTime(), reason);
    }

    /// <summary>Every fleet machine against every interval of its maker and model, most urgent first.</summary>
    public static async Task<MaintenanceListDto> DueAsync(Session s, LatestValues latest, string? status, double soonHours, int soonDays)
    {
        var rows = await s.QueryAsync<DueRow>(
            """
            SELECT e.machine_id AS MachineId, m.name AS EquipmentId, e.model AS Model, e.created_at AS JoinedAt, a.site_id AS SiteId,
                   i.id AS IntervalId, i.name AS Interval, i.every_hours AS EveryHours, i.every_days AS EveryDays,
                   f.done_at AS LastAt, f.operating_hours AS LastHours
            FROM fleet_equipment e
            JOIN machines m ON m.tenant_id = e.tenant_id AND m.id = e.machine_id
            JOIN lines l ON l.tenant_id = m.tenant_id AND l.id = m.line_id
            JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id
            JOIN fleet_service_intervals i ON i.tenant_id = e.tenant_id AND i.oem_name = e.oem_name AND i.model = e.model
            LEFT JOIN fleet_services f ON f.tenant_id = e.tenant_id AND f.id = (
                SELECT x.id FROM fleet_services x WHERE x.tenant_id = e.tenant_id AND x.machine_id = e.machine_id AND x.interval_id = i.id
                ORDER BY x.done_at DESC, x.id DESC LIMIT 1)
            WHERE e.tenant_id = @Tenant
            """, new { s.Tenant });
        var visits = new Dictionary<long, IReadOnlyList<PlannedStopDto>>();
        foreach (var siteId in rows.Select(r => r.SiteId).Distinct())
        {
            visits[siteId] = (await SiteCalendars.GetAsync(s, siteId)).Calendar.PlannedStops;
        }

        var items = new List<MaintenanceDueDto>();
        foreach (var r in rows)
        {
            var hours = OperatingHours(latest, s.Tenant, r.MachineId);
            var (state, dueHours, leftHours, dueAt, leftDays) = ServiceDue.Of(r.EveryHours, (int?)r.EveryDays, r.LastHours ?? 0, r.LastAt ?? r.JoinedAt, hours, s.Now, soonHours, soonDays);
            if (status is not null && status != state)
            {
                continue;
            }

            var visit = visits[r.SiteId].Where(p => p.MachineId == r.MachineId && p.Reason == VisitPrefix + r.Interval && p.To.ToUnixTimeMilliseconds() > s.Now)
                .OrderBy(p => p.From).Select(p => new ServiceVisitDto(r.MachineId, r.SiteId, p.From, p.To, p.Reason!)).FirstOrDefault();
            items.Add(new MaintenanceDueDto(r.MachineId, r.EquipmentId, r.Model, r.IntervalId, r.Interval, state, hours, r.LastHours,
                r.LastAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, dueHours, leftHours,
                dueAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, leftDays, visit));
        }

        var order = new Dictionary<string, int> { ["overdue"] = 0, ["due_soon"] = 1, ["ok"] = 2 };
        return new MaintenanceListDto(DateTimeOffset.FromUnixTimeMilliseconds(s.Now), soonHours, soonDays,
            items.OrderBy(i => order[i.Status]).ThenBy(i => Math.Min(i.RemainingHours ?? double.MaxValue, (i.RemainingDays ?? double.MaxValue) * 24))
                .ThenBy(i => i.MachineId).ThenBy(i => i.IntervalId).ToList());
    }

    private static double? OperatingHours(LatestValues latest, long tenant, long machineId) =>
        latest.Of(tenant, machineId).Where(r => r.Tag == "engine_hours").Select(r => (double?)r.Value.Number).FirstOrDefault();

    private static async Task<ServiceIntervalDto> IntervalOfAsync(Session s, EquipmentDto equipment, long? intervalId)
    {
        if (intervalId is not { } id)
        {
            throw ApiProblem.Invalid("intervalId", "is required");
        }

        var interval = (await ServiceIntervals.ListAsync(s)).FirstOrDefault(i => i.Id == id)
            ?? throw ApiProblem.Invalid("intervalId", $"there is no service interval with id {id}");
        return interval.OemName == equipment.OemName && interval.Model == equipment.Model ? interval
            : throw ApiProblem.Invalid("intervalId", $"interval {id} is for {interval.OemName} {interval.Model}, not this machine's {equipment.OemName} {equipment.Model}");
    }

    private sealed class DueRow
    {
        public long MachineId { get; set; }
        public string EquipmentId { get; set; } = "";
        public string Model { get; set; } = "";
        public long JoinedAt { get; set; }
        public long SiteId { get; set; }
        public long IntervalId { get; set; }
        public string Interval { get; set; } = "";
        public double? EveryHours { get; set; }
        public long? EveryDays { get; set; }
        public long? LastAt { get; set; }
        public double? LastHours { get; set; }
    }
}
