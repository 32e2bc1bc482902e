using Millwright.Scheduling.Model;

namespace Millwright.Features.Production;

/// <summary>
/// Setups as the scheduler sees them: operations with the same program, setup time and setup family (the tenant's,
/// <see cref="SetupFamilyPlan"/>) form a scheduler family, and a machine that runs one after another of the same one
/// skips the setup (the program, fixture or recipe is still loaded). Between others the estimate falls back from the
/// program pair learned on the machine, to the setup-family pair (learned on the machine, then the tenant's matrix),
/// to the routing's setup (docs/scheduling.md, Setup families). A job without a program is always set up. A machine
/// starts from the family of the job it holds, or else of the last one it finished.
/// </summary>
internal sealed class SetupFamilies(SetupFamilyPlan plan)
{
    private readonly Dictionary<(string Program, long SetupMs, string Group), int> _index = [];
    private readonly List<(long Seconds, bool Shared, string Group)> _families = [];
    private readonly Dictionary<int, int> _loaded = [];
    private readonly List<(int Machine, string From, string To, long Ms)> _observed = [];
    private readonly List<(int Machine, string From, string To, long Ms)> _groupObserved = [];

    public int Of(JobRow job, long itemId) => Of(job.Program, job.SetupMs, itemId);

    public int Of(string program, long setupMs, long itemId)
    {
        var group = plan.Of(program, itemId);
        if (!_index.TryGetValue((program, setupMs, group), out var family))
        {
            _index[(program, setupMs, group)] = family = _families.Count;
            _families.Add((Math.Max(0, (setupMs + 999) / 1000), program.Length > 0, group));
        }

        return family;
    }

    /// <summary>Machine <paramref name="machine"/> (the instance's number) holds a job of <paramref name="family"/>.</summary>
    public void Loaded(int machine, int family) => _loaded[machine] = family;

    /// <summary>Changeovers observed on a machine (the instance's number) between two programs replace the routing's rule for every family pair of those programs.</summary>
    public void Learn(IEnumerable<(int Machine, string From, string To, long Ms)> observed) => _observed.AddRange(observed);

    /// <summary>Changeovers observed on a machine (the instance's number) between two setup families: they come before the tenant's matrix.</summary>
    public void LearnFamilies(IEnumerable<(int Machine, string From, string To, long Ms)> observed) => _groupObserved.AddRange(observed);

    /// <summary>The compact form: memory grows with families and machines, not with their product (plus the observed pairs).</summary>
    public SetupTimes ToSetupTimes(int machines)
    {
        var setups = SetupTimes.SkipWhenSame(machines,
            [.. _families.Select(f => (int)Math.Min(f.Seconds, ShopInstance.MaxTime))], [.. _families.Select(f => f.Shared)],
            [.. Enumerable.Range(0, machines).Select(m => _loaded.GetValueOrDefault(m, SetupTimes.None))]);
        setups = WithGroups(setups);
        if (_observed.Count == 0)
        {
            return setups;
        }

        var byProgram = _index.GroupBy(kv => kv.Key.Program, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(kv => kv.Value).ToList(), StringComparer.Ordinal);
        return setups.WithObserved(
            from o in _observed
            where o.From.Length > 0 && o.To.Length > 0 && byProgram.ContainsKey(o.From) && byProgram.ContainsKey(o.To)
            from f in byProgram[o.From]
            from t in byProgram[o.To]
            select (o.Machine, f, t, (int)Math.Min((o.Ms + 999) / 1000, ShopInstance.MaxTime)));
    }

    /// <summary>The tenant's family matrix and the family pairs learned, for the setup families the plan's jobs belong to.</summary>
    private SetupTimes WithGroups(SetupTimes setups)
    {
        var groups = _families.Select(f => f.Group).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).Select((g, i) => (g, i)).ToDictionary(x => x.g, x => x.i, StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return setups;
        }

        static int Seconds(long ms) => (int)Math.Min((ms + 999) / 1000, ShopInstance.MaxTime);
        var matrix = plan.Matrix.Where(kv => groups.ContainsKey(kv.Key.From) && groups.ContainsKey(kv.Key.To))
            .ToDictionary(kv => (groups[kv.Key.From], groups[kv.Key.To]), kv => Seconds(kv.Value));
        var learned = _groupObserved.Where(o => groups.ContainsKey(o.From) && groups.ContainsKey(o.To))
            .Select(o => (o.Machine, groups[o.From], groups[o.To], Seconds(o.Ms))).ToList();
        return matrix.Count + learned.Count == 0
            ? setups
            : setups.WithGroups([.. _families.Select(f => f.Group.Length > 0 ? groups[f.Group] : SetupTimes.None)], groups.Count, matrix, learned);
    }

    /// <summary>The setup each scheduled operation gets on its machine, in the order the machine runs them.</summary>
    public static Dictionary<(int Job, int Index), int> Applied(ShopInstance instance, Schedule schedule)
    {
        var result = new Dictionary<(int, int), int>();
        var byMachine = schedule.Jobs.SelectMany((ops, j) => ops.Select((op, k) => (Job: j, Index: k, op.Machine, op.Start)))
            .GroupBy(x => x.Machine);
        foreach (var machine in byMachine)
        {
            var previous = SetupTimes.None;
            foreach (var op in machine.OrderBy(x => x.Start))
            {
                var family = instance.Jobs[op.Job].Operations[op.Index].SetupFamily;
                result[(op.Job, op.Index)] = instance.Setups?.Get(op.Machine, previous, family) ?? 0;
                previous = family;
            }
        }

        return result;
    }
}
