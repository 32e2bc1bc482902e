using Millwright.Api;
using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>
/// What the planner learns from each machine's state history (docs/scheduling.md, Learned repair times and changeovers).
/// Repair: a machine that is down (or offline) now is expected to stay so for the mean residual time of its own past
/// episodes of that state: the mean of (duration − time already spent) over its last completed episodes that lasted
/// longer than the current one has so far. With fewer than <see cref="MinEpisodes"/> episodes, or none that lasted this
/// long, the fixed allowance stays. Changeovers: every completed setup episode is paired with the job that ended last on
/// the machine before it (from) and the job sent to it last before the setup ended (to); per (machine, from program, to
/// program) the median of the last <see cref="SetupWindow"/> such durations, once there are at least <see cref="MinSetups"/>,
/// and the same per (machine, from setup family, to setup family).
/// </summary>
internal static class MachineHistory
{
    /// <summary>How far back the history is read.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(90);

    public const int MinEpisodes = 3;
    public const int EpisodeWindow = 20;
    public const int MinSetups = 2;
    public const int SetupWindow = 10;

    /// <summary>The history's lessons for the plan, with the frozen horizon.</summary>
    public static async Task<PlanSettings> LoadAsync(Session s, IReadOnlyList<PlanMachine> machines, IReadOnlyDictionary<long, string> states, TimeSpan frozenHorizon)
    {
        var since = s.Now - (long)Lookback.TotalMilliseconds;
        var episodes = await ProductionStore.StateEpisodesAsync(s, since);
        var repairs = Repairs(episodes, machines, states, s.Now);
        var jobs = episodes.Any(e => e.State == MachineStateNames.Setup && e.EndAt is not null)
            ? await ProductionStore.MachineJobsAsync(s, since - (long)TimeSpan.FromDays(1).TotalMilliseconds)
            : [];
        var families = await SetupFamilyStore.PlanAsync(s, FamilyChangeovers(episodes, jobs));
        return new PlanSettings(frozenHorizon, repairs, Changeovers(episodes, jobs), families);
    }

    /// <summary>Per unavailable machine with enough history, how much longer it is expected to stay in its state.</summary>
    public static Dictionary<long, TimeSpan> Repairs(IReadOnlyList<StateEpisode> episodes, IReadOnlyList<PlanMachine> machines, IReadOnlyDictionary<long, string> states, long now)
    {
        var result = new Dictionary<long, TimeSpan>();
        foreach (var machine in machines.Where(m => !m.Available))
        {
            var history = episodes.Where(e => e.MachineId == machine.Id).ToList();
            var open = history.LastOrDefault(e => e.EndAt is null);
            var state = states.GetValueOrDefault(machine.Id) ?? open?.State;
            if (state is not (MachineStateNames.Down or MachineStateNames.Offline))
            {
                continue;
            }

            var elapsed = open is not null && open.State == state ? Math.Max(0, now - open.StartAt) : 0;
            var durations = history.Where(e => e.State == state && e.EndAt is not null).TakeLast(EpisodeWindow).Select(e => e.EndAt!.Value - e.StartAt).ToList();
            if (ResidualMs(durations, elapsed) is { } ms)
            {
                result[machine.Id] = TimeSpan.FromMilliseconds(ms);
            }
        }

        return result;
    }

    /// <summary>The mean residual time after <paramref name="elapsed"/> ms, or null with too little history.</summary>
    public static long? ResidualMs(IReadOnlyList<long> durations, long elapsed)
    {
        if (durations.Count < MinEpisodes)
        {
            return null;
        }

        var longer = durations.Where(d => d > elapsed).ToList();
        return longer.Count == 0 ? null : Math.Max(1000, (long)longer.Average(d => (double)(d - elapsed)));
    }

    /// <summary>Observed changeover times (ms) per (machine, from program, to program) with enough observations.</summary>
    public static Dictionary<(long Machine, string From, string To), long> Changeovers(IReadOnlyList<StateEpisode> episodes, IReadOnlyList<MachineJob> jobs) =>
        Changeovers(episodes, jobs, j => j.Program);

    /// <summary>Observed changeover times (ms) per (machine, from setup family, to setup family) with enough observations.</summary>
    public static Dictionary<(long Machine, string From, string To), long> FamilyChangeovers(IReadOnlyList<StateEpisode> episodes, IReadOnlyList<MachineJob> jobs) =>
        Changeovers(episodes, jobs, j => j.Family);

    /// <summary>Each setup paired with the job before it and the job it prepared, grouped by what <paramref name="key"/> says of them (empty: not counted).</summary>
    private static Dictionary<(long Machine, string From, string To), long> Changeovers(IReadOnlyList<StateEpisode> episodes, IReadOnlyList<MachineJob> jobs, Func<MachineJob, string> key)
    {
        var observed = new Dictionary<(long, string, string), List<long>>();
        var byMachine = jobs.GroupBy(j => j.MachineId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var setup in episodes.Where(e => e.State == MachineStateNames.Setup && e.EndAt is { } end && end > e.StartAt))
        {
            if (!byMachine.TryGetValue(setup.MachineId, out var ran))
            {
                continue;
            }

            var to = ran.Where(j => j.DispatchedAt <= setup.EndAt && (j.EndedAt is null || j.EndedAt > setup.StartAt)).MaxBy(j => j.DispatchedAt);
            var from = ran.Where(j => j != to && j.EndedAt is { } ended && ended <= setup.StartAt).MaxBy(j => j.EndedAt);
            if (to is null || from is null || key(to).Length == 0 || key(from).Length == 0)
            {
                continue;
            }

            var pair = (setup.MachineId, key(from), key(to));
            (observed.TryGetValue(pair, out var list) ? list : observed[pair] = []).Add(setup.EndAt!.Value - setup.StartAt);
        }

        return observed.Where(kv => kv.Value.Count >= MinSetups).ToDictionary(kv => kv.Key, kv => Median(kv.Value.TakeLast(SetupWindow).ToList()));
    }

    private static long Median(List<long> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
