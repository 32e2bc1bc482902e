using System.Globalization;
using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Sites;

namespace Millwright.Features.Calendars;

/// <summary>Site calendars: one validated JSON document per site, in the site's time zone.</summary>
internal static class SiteCalendars
{
    public const int MaxShifts = 20;
    public const int MaxBreaks = 10;
    public const int MaxHolidays = 1000;
    public const int MaxPlannedStops = 1000;
    public const int MaxOvertime = 1000;
    public static readonly TimeSpan MaxOvertimeLength = TimeSpan.FromDays(7);

    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<CalendarDto> GetAsync(Session s, long siteId)
    {
        var site = await Sites.Sites.GetAsync(s, siteId);
        var rows = await s.QueryAsync<(string Document, long UpdatedAt)>(
            "SELECT document, updated_at FROM site_calendars WHERE tenant_id = @Tenant AND site_id = @siteId", new { s.Tenant, siteId });
        var stored = rows.Count == 1 ? Parse(rows[0].Document) : CalendarDocument.Empty;
        var document = stored with { Overtime = stored.OvertimeWindows };
        return new CalendarDto(siteId, site.TimeZone, document, document.Shifts.Count == 0,
            rows.Count == 1 ? DateTimeOffset.FromUnixTimeMilliseconds(rows[0].UpdatedAt) : null);
    }

    public static async Task<CalendarDto> PutAsync(Session s, long siteId, CalendarInput input)
    {
        var site = await Sites.Sites.GetAsync(s, siteId);
        var document = Validate(input);
        foreach (var machineId in document.PlannedStops.Select(p => p.MachineId).OfType<long>().Distinct())
        {
            await s.RequireReferenceAsync("machines", "plannedStops.machineId", "machine", machineId);
        }

        if (document.Overtime is null)
        {
            document = document with { Overtime = (await GetAsync(s, siteId)).Calendar.OvertimeWindows };
        }
        else
        {
            await RequireLinesOfSiteAsync(s, siteId, document.Overtime);
        }

        var json = JsonSerializer.Serialize(document, Json);
        var changed = await s.ExecuteAsync(
            "UPDATE site_calendars SET document = @json, updated_at = @Now WHERE tenant_id = @Tenant AND site_id = @siteId",
            new { s.Tenant, siteId, json, s.Now });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO site_calendars (tenant_id, site_id, document, updated_at) VALUES (@Tenant, @siteId, @json, @Now)",
                new { s.Tenant, siteId, json, s.Now });
        }

        await s.AuditAsync("update", "calendar", siteId,
            $"set the calendar of site '{site.Name}': {document.Shifts.Count} shifts, {document.Holidays.Count} holidays, {document.PlannedStops.Count} planned stops, {document.OvertimeWindows.Count} overtime windows");
        return await GetAsync(s, siteId);
    }

    /// <summary>The usable calendar of a site, in its time zone, with the machines of the lines that have overtime.</summary>
    public static async Task<SiteCalendar> LoadAsync(Session s, long siteId)
    {
        var dto = await GetAsync(s, siteId);
        var lines = dto.Calendar.OvertimeWindows.Select(o => o.LineId).OfType<long>().Distinct().ToArray();
        var machinesOf = new Dictionary<long, IReadOnlySet<long>>();
        if (lines.Length > 0)
        {
            var rows = await s.QueryAsync<(long LineId, long MachineId)>(
                $"SELECT line_id, id FROM machines WHERE tenant_id = @Tenant AND line_id IN ({IdList(lines)})", new { s.Tenant });
            foreach (var line in lines)
            {
                machinesOf[line] = rows.Where(r => r.LineId == line).Select(r => r.MachineId).ToHashSet();
            }
        }

        return new SiteCalendar(TimeZoneInfo.FindSystemTimeZoneById(dto.TimeZone), dto.Calendar, machinesOf);
    }

    /// <summary>Ids written into an <c>IN (...)</c> list: numbers only, so nothing to inject, and one SQL for both stores.</summary>
    private static string IdList(IEnumerable<long> ids) => string.Join(",", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Overtime may name only lines of this site (and so of this tenant).</summary>
    private static async Task RequireLinesOfSiteAsync(Session s, long siteId, IReadOnlyList<OvertimeWindowDto> overtime)
    {
        var lines = overtime.Select(o => o.LineId).OfType<long>().Distinct().ToArray();
        if (lines.Length == 0)
        {
            return;
        }

        var ours = (await s.QueryAsync<long>(
            $"SELECT l.id FROM lines l JOIN areas a ON a.tenant_id = l.tenant_id AND a.id = l.area_id WHERE l.tenant_id = @Tenant AND a.site_id = @siteId AND l.id IN ({IdList(lines)})",
            new { s.Tenant, siteId })).ToHashSet();
        for (var i = 0; i < overtime.Count; i++)
        {
            if (overtime[i].LineId is { } line && !ours.Contains(line))
            {
                throw ApiProblem.Invalid($"overtime[{i}].lineId", $"there is no line {line} at site {siteId}");
            }
        }
    }

    public static CalendarDocument Parse(string json) => JsonSerializer.Deserialize<CalendarDocument>(json, Json) ?? CalendarDocument.Empty;

    public static CalendarDocument Validate(CalendarInput input)
    {
        var v = new Validator();
        var shifts = new List<ShiftDto>();
        var shiftInputs = input.Shifts ?? [];
        if (shiftInputs.Count > MaxShifts)
        {
            v.Add("shifts", $"at most {MaxShifts} shifts");
        }

        for (var i = 0; i < shiftInputs.Count && i < MaxShifts; i++)
        {
            if (ValidateShift(v, $"shifts[{i}]", shiftInputs[i]) is { } shift)
            {
                shifts.Add(shift);
            }
        }

        var holidays = new List<string>();
        var holidayInputs = input.Holidays ?? [];
        if (holidayInputs.Count > MaxHolidays)
        {
            v.Add("holidays", $"at most {MaxHolidays} holidays");
        }

        for (var i = 0; i < holidayInputs.Count && i < MaxHolidays; i++)
        {
            if (!DateOnly.TryParseExact(holidayInputs[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                v.Add($"holidays[{i}]", "must be a date as yyyy-MM-dd");
            }
            else
            {
                holidays.Add(holidayInputs[i]!);
            }
        }

        var stops = new List<PlannedStopDto>();
        var stopInputs = input.PlannedStops ?? [];
        if (stopInputs.Count > MaxPlannedStops)
        {
            v.Add("plannedStops", $"at most {MaxPlannedStops} planned stops");
        }

        for (var i = 0; i < stopInputs.Count && i < MaxPlannedStops; i++)
        {
            var at = $"plannedStops[{i}]";
            if (stopInputs[i] is not { } stop || stop.From is null || stop.To is null || !(stop.From < stop.To))
            {
                v.Add(at, "needs from and to, with from before to");
                continue;
            }

            if (stop.MachineId is <= 0)
            {
                v.Add($"{at}.machineId", "must be a positive id");
            }

            v.Description($"{at}.reason", stop.Reason);
            stops.Add(new PlannedStopDto(stop.From.Value.ToUniversalTime(), stop.To.Value.ToUniversalTime(), stop.MachineId, stop.Reason));
        }

        var overtime = ValidateOvertime(v, input.Overtime);
        v.ThrowIfInvalid();
        return new CalendarDocument(shifts, holidays.Distinct().Order().ToList(), stops.OrderBy(p => p.From).ToList(), overtime);
    }

    /// <summary>Null stays null (keep what the calendar has); windows are at most a week each.</summary>
    private static List<OvertimeWindowDto>? ValidateOvertime(Validator v, IReadOnlyList<OvertimeWindowInput?>? input)
    {
        if (input is null)
        {
            return null;
        }

        if (input.Count > MaxOvertime)
        {
            v.Add("overtime", $"at most {MaxOvertime} overtime windows");
        }

        var result = new List<OvertimeWindowDto>();
        for (var i = 0; i < input.Count && i < MaxOvertime; i++)
        {
            var at = $"overtime[{i}]";
            if (input[i] is not { } window || window.From is not { } from || window.To is not { } to || from >= to || to - from > MaxOvertimeLength)
            {
                v.Add(at, $"needs from and to, with from before to and at most {MaxOvertimeLength.TotalDays:0} days apart");
                continue;
            }

            if (window.LineId is <= 0)
            {
                v.Add($"{at}.lineId", "must be a positive id");
            }

            v.Description($"{at}.reason", window.Reason);
            result.Add(new OvertimeWindowDto(from.ToUniversalTime(), to.ToUniversalTime(), window.LineId, window.Reason));
        }

        return [.. result.OrderBy(o => o.From)];
    }

    private static ShiftDto? ValidateShift(Validator v, string at, ShiftInput? shift)
    {
        if (shift is null)
        {
            v.Add(at, "must be an object");
            return null;
        }

        var name = v.Name($"{at}.name", shift.Name);
        var days = (shift.Days ?? []).Select(d => d?.ToLowerInvariant() ?? "").Distinct().ToList();
        if (days.Count == 0 || days.Any(d => !DayNames.Contains(d)))
        {
            v.Add($"{at}.days", $"must list one or more of {string.Join(", ", DayNames)}");
        }

        var start = Time(v, $"{at}.start", shift.Start);
        var end = Time(v, $"{at}.end", shift.End);
        var breaks = new List<BreakDto>();
        if (start is null || end is null)
        {
            return null;
        }

        var length = Minutes(start.Value, end.Value) is var l && l == 0 ? 1440 : l;
        var breakInputs = shift.Breaks ?? [];
        if (breakInputs.Count > MaxBreaks)
        {
            v.Add($"{at}.breaks", $"at most {MaxBreaks} breaks per shift");
        }

        for (var i = 0; i < breakInputs.Count && i < MaxBreaks; i++)
        {
            var bat = $"{at}.breaks[{i}]";
            var bs = Time(v, $"{bat}.start", breakInputs[i]?.Start);
            var be = Time(v, $"{bat}.end", breakInputs[i]?.End);
            if (bs is null || be is null)
            {
                continue;
            }

            var offset = Minutes(start.Value, bs.Value);
            var breakLength = Minutes(bs.Value, be.Value);
            if (breakLength == 0 || offset + breakLength > length)
            {
                v.Add(bat, "must lie inside the shift and end after it starts");
            }

            breaks.Add(new BreakDto(breakInputs[i]!.Start!, breakInputs[i]!.End!));
        }

        return new ShiftDto(name, days, shift.Start!, shift.End!, breaks);
    }

    /// <summary>Minutes from <paramref name="a"/> forward to <paramref name="b"/> on a 24-hour dial.</summary>
    private static int Minutes(TimeOnly a, TimeOnly b) => (int)((b.ToTimeSpan() - a.ToTimeSpan()).TotalMinutes + 1440) % 1440;

    private static TimeOnly? Time(Validator v, string field, string? text)
    {
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        v.Add(field, "must be a time of day as HH:mm (24-hour clock)");
        return null;
    }
}
