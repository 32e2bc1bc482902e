using Millwright.Api;

namespace Millwright.Features.Production;

internal sealed record ScheduleQuery(ZonedTime? From, ZonedTime? To, long? SiteId);

internal sealed record ScheduleMachineDto(long Id, string Name, long SiteId, IReadOnlyList<string> Capabilities);

internal sealed record ScheduleDto(
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset Now, IReadOnlyList<ScheduleMachineDto> Machines, IReadOnlyList<JobDto> Jobs, IReadOnlyList<JobRunDto> Runs);

/// <summary>
/// The schedule as a Gantt chart needs it: the machines that can take work, every job planned or run in the window,
/// and the runs that ended early (a breakdown, a cancellation) on the machine where they ran.
/// </summary>
internal static class ScheduleView
{
    public static async Task<ScheduleDto> GetAsync(Session s, ScheduleQuery query)
    {
        var from = query.From?.UnixMs ?? s.Now - (2 * 3_600_000);
        var to = query.To?.UnixMs ?? s.Now + (8 * 3_600_000);
        if (to <= from || to - from > 31L * 86_400_000)
        {
            throw ApiProblem.Invalid("to", "must lie after from, at most 31 days later");
        }

        if (query.SiteId is { } site)
        {
            await Sites.Sites.GetAsync(s, site);
        }

        var machines = (await ProductionStore.MachinesAsync(s, new Dictionary<long, string>()))
            .Where(m => query.SiteId is null || m.SiteId == query.SiteId)
            .Select(m => new ScheduleMachineDto(m.Id, m.Name, m.SiteId, m.Capabilities.Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var jobs = await ProductionStore.JobsInAsync(s, from, to, query.SiteId);
        return new ScheduleDto(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to),
            DateTimeOffset.FromUnixTimeMilliseconds(s.Now), machines, jobs.Select(j => j.AsDto()).ToList(), await ProductionStore.RunsInAsync(s, from, to, query.SiteId));
    }
}
