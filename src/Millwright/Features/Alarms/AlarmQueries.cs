using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>Reading alarms: filtered lists, one alarm's history, the tenant's history, and counts per period.</summary>
internal static class AlarmQueries
{
    public const int MaxBuckets = 1_000;

    public static async Task<Page<AlarmDto>> ListAsync(Session s, AlarmQuery query)
    {
        var page = PageRequest.From(query.Limit, query.After);
        var v = new Validator();
        if (query.State is not null && query.State != "all" && !AlarmVocabulary.States.Contains(query.State))
        {
            v.Add("state", $"must be one of {string.Join(", ", AlarmVocabulary.States)} or all");
        }

        if (query.Severity is not null && !AlarmVocabulary.Severities.Contains(query.Severity))
        {
            v.Add("severity", $"must be one of {string.Join(", ", AlarmVocabulary.Severities)}");
        }

        v.ThrowIfInvalid();
        var rows = await s.QueryAsync<AlarmRow>(
            $"""
            SELECT {AlarmRow.Columns} FROM {AlarmRow.From}
            WHERE a.tenant_id = @Tenant AND a.id > @After
              AND (@State IS NULL AND a.state <> 'closed' OR @State = 'all' OR a.state = @State)
              AND (@Severity IS NULL OR a.severity = @Severity)
              AND (@Machine IS NULL OR a.machine_id = @Machine)
              AND (@Line IS NULL OR m.line_id = @Line)
              AND (@Site IS NULL OR m.line_id IN (
                    SELECT l.id FROM lines l JOIN areas ar ON ar.tenant_id = l.tenant_id AND ar.id = l.area_id
                    WHERE l.tenant_id = @Tenant AND ar.site_id = @Site))
            ORDER BY a.id LIMIT @Take
            """,
            new { s.Tenant, page.After, query.State, query.Severity, query.Machine, query.Line, query.Site, Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<AlarmDto> GetAsync(Session s, long id) =>
        (await AlarmLifecycle.FindAsync(s, id))?.AsDto() ?? throw ApiProblem.NotFound("alarm", id);

    /// <summary>Transitions in time order: of one alarm, or of the tenant's alarms between two times.</summary>
    public static async Task<Page<AlarmEventDto>> EventsAsync(Session s, long? alarmId, DateTimeOffset? from, DateTimeOffset? to, long? machine, PageRequest page)
    {
        var rows = await s.QueryAsync<AlarmEventRow>(
            """
            SELECT e.id, e.alarm_id, e.at, e.kind, e.state, e.actor, e.comment, e.value FROM alarm_events e
            JOIN alarms a ON a.tenant_id = e.tenant_id AND a.id = e.alarm_id
            WHERE e.tenant_id = @Tenant AND e.id > @After
              AND (@alarmId IS NULL OR e.alarm_id = @alarmId)
              AND (@machine IS NULL OR a.machine_id = @machine)
              AND (@From IS NULL OR e.at >= @From) AND (@To IS NULL OR e.at < @To)
            ORDER BY e.id LIMIT @Take
            """,
            new { s.Tenant, page.After, alarmId, machine, From = from?.ToUnixTimeMilliseconds(), To = to?.ToUnixTimeMilliseconds(), Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    /// <summary>
    /// Alarms raised per bucket of [from, to), by severity. Buckets start at <paramref name="from"/>, so a KPI period
    /// that starts at a shift or local midnight gets buckets aligned to it. Only buckets with alarms are listed.
    /// </summary>
    public static async Task<Page<AlarmCountDto>> CountsAsync(Session s, DateTimeOffset? from, DateTimeOffset? to, string? bucket)
    {
        var v = new Validator();
        var size = bucket switch
        {
            null or "day" => TimeSpan.FromDays(1),
            "hour" => TimeSpan.FromHours(1),
            "week" => TimeSpan.FromDays(7),
            _ => TimeSpan.Zero,
        };
        if (size == TimeSpan.Zero)
        {
            v.Add("bucket", "must be hour, day or week");
        }

        if (from is null || to is null)
        {
            v.Add("from", "from and to are required (ISO 8601 times)");
        }
        else if (from >= to)
        {
            v.Add("to", "must be after from");
        }
        else if (size > TimeSpan.Zero && (to.Value - from.Value) / size > MaxBuckets)
        {
            v.Add("to", $"the period holds more than {MaxBuckets} buckets; choose a larger bucket");
        }

        v.ThrowIfInvalid();
        var start = from!.Value.ToUnixTimeMilliseconds();
        var end = to!.Value.ToUnixTimeMilliseconds();
        var step = (long)size.TotalMilliseconds;
        var rows = await s.QueryAsync<CountRow>(
            """
            SELECT (raised_at - @start) / @step AS bucket, severity, COUNT(*) AS n FROM alarms
            WHERE tenant_id = @Tenant AND raised_at >= @start AND raised_at < @end
            GROUP BY (raised_at - @start) / @step, severity
            """,
            new { s.Tenant, start, end, step });
        var counts = new List<AlarmCountDto>();
        foreach (var bucketRows in rows.GroupBy(r => r.Bucket).OrderBy(g => g.Key))
        {
            long Of(string severity) => bucketRows.Where(r => r.Severity == severity).Sum(r => r.N);
            var at = start + (bucketRows.Key * step);
            var (low, medium, high, critical) = (Of("low"), Of("medium"), Of("high"), Of("critical"));
            counts.Add(new AlarmCountDto(DateTimeOffset.FromUnixTimeMilliseconds(at), DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(at + step, end)),
                low, medium, high, critical, low + medium + high + critical));
        }

        return new Page<AlarmCountDto>(counts, null);
    }

    private sealed class CountRow
    {
        public long Bucket { get; set; }
        public string Severity { get; set; } = "";
        public long N { get; set; }
    }
}
