using Millwright.Features.Calendars;
using Millwright.Scheduling.Model;

namespace Millwright.Features.Production;

/// <summary>
/// Turns the open orders into a flexible job shop for the scheduler and its answer back into planned jobs.
/// Time is whole seconds of working time from <c>now</c> (each site's own, see <see cref="WorkingTime"/>), and a
/// machine's own planned stops are downtime. A job a machine holds is not re-planned: it keeps its machine busy
/// for its remaining work (a downtime window) and releases the order's next job when it ends. A machine that
/// is down or offline is assumed back after its repair allowance (learned from its history, see <see cref="PlanSettings"/>).
/// Waiting jobs inside the frozen horizon keep their machine and place (<see cref="FrozenJobs"/>). Setups depend on the sequence: none between two jobs of
/// the same program on a machine, and between setup families as learned or as the tenant's matrix says (<see cref="SetupFamilies"/>). Pure: no store, no clock.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly long _now;
    private readonly List<List<(long JobId, long Duration)>> _chains = [];
    private readonly List<long> _machineIds = [];
    private readonly Dictionary<long, long> _fixedEnds = [];
    private readonly Dictionary<long, long> _orderOfJob = [];
    private readonly List<WorkingTime> _clockOfChain = [];
    private readonly SetupFamilies _setups;
    private readonly Dictionary<(long JobId, int Machine), long> _durationOn = [];
    private readonly Dictionary<(long JobId, int Machine), long> _unitOn = [];

    /// <param name="reservations">Machine time held for particular orders (<see cref="IMachineReservations"/>): those orders' jobs are
    /// laid into it as they stand (<see cref="ReservedWork"/>), and it is downtime for every other job.</param>
    public PlanBuilder(long now, IReadOnlyList<PlanOrder> orders, IReadOnlyList<PlanMachine> machines, TimeSpan repairAllowance,
        PlanningCalendar? calendar = null, PlanSettings? settings = null, IReadOnlyList<MachineReservation>? reservations = null,
        IReadOnlyDictionary<(long JobId, long MachineId), JobTime>? times = null)
    {
        times ??= new Dictionary<(long, long), JobTime>();
        _now = now;
        calendar ??= PlanningCalendar.AroundTheClock(now);
        settings ??= PlanSettings.None;
        _setups = new SetupFamilies(settings.Families ?? SetupFamilyPlan.Empty);
        var index = new Dictionary<long, int>();
        int Index(long machine)
        {
            if (!index.TryGetValue(machine, out var i))
            {
                index[machine] = i = _machineIds.Count;
                _machineIds.Add(machine);
            }

            return i;
        }

        var reserved = (reservations ?? []).GroupBy(r => r.OrderId).ToDictionary(g => g.Key, g => g.First());
        var taken = new Dictionary<long, List<Interval>>();
        foreach (var r in reservations ?? [])
        {
            (taken.TryGetValue(r.MachineId, out var list) ? list : taken[r.MachineId] = []).AddRange(r.Windows);
        }

        // Held jobs first: each keeps its machine busy for its remaining work and releases its order's next job.
        var busy = new Dictionary<long, long>();
        var loaded = new Dictionary<long, int>();
        var pending = new List<(OrderRow Order, WorkingTime Clock, List<JobRow> Open, List<JobRow> Frozen)>();
        var ready = new Dictionary<long, long>();
        var frozenUntil = now + (long)settings.FrozenHorizon.TotalMilliseconds;
        foreach (var (order, orderJobs) in orders)
        {
            var open = orderJobs.Where(j => j.Status is not (JobStatus.Done or JobStatus.Cancelled)).OrderBy(j => j.Seq).ToList();
            var clock = calendar.Of(order.SiteId);
            if (open.Count > 0 && JobStatus.IsActive(open[0].Status) && open[0].MachineId is { } holder)
            {
                var held = open[0];
                var release = Seconds(Remaining(held));
                ready[order.Id] = release;
                busy[holder] = Math.Max(busy.GetValueOrDefault(holder), release);
                loaded[holder] = _setups.Of(held, order.ItemId);
                Held.Add(new PlannedJob(held.Id, holder, held.StartedAt ?? held.DispatchedAt ?? now, clock.EndOf(release * 1000)));
                _fixedEnds[order.Id] = clock.EndOf(release * 1000);
                open.RemoveAt(0);
            }

            // A reserved order's jobs are laid into its booked time below, not frozen where they stand.
            var frozen = settings.FrozenHorizon > TimeSpan.Zero && !reserved.ContainsKey(order.Id) ? FrozenJobs.Select(open, frozenUntil, order.SiteId, machines) : [];
            open.RemoveRange(0, frozen.Count);
            pending.Add((order, clock, open, frozen));
        }

        // Frozen jobs in the order the followed plan runs them, each after whatever its machine and its order must finish first.
        var windows = new Dictionary<long, List<Interval>>();
        var free = new Dictionary<long, long>(busy);
        foreach (var (job, order, clock) in pending.SelectMany(p => p.Frozen.Select(j => (Job: j, p.Order, p.Clock))).OrderBy(x => (x.Job.PlannedStart, x.Job.Id)))
        {
            var machine = job.MachineId!.Value;
            var setup = ((job.PlannedSetupMs ?? job.SetupMs) + 999) / 1000;
            var start = Math.Max(clock.ToWork(job.PlannedStart!.Value) / 1000, Math.Max(free.GetValueOrDefault(machine), ready.GetValueOrDefault(order.Id)));
            var end = start + setup + Seconds(Work(job, machine, times));
            free[machine] = ready[order.Id] = end;
            loaded[machine] = _setups.Of(job, order.ItemId);
            (windows.TryGetValue(machine, out var list) ? list : windows[machine] = []).Add(new Interval(start, end));
            Frozen.Add(new PlannedJob(job.Id, machine, clock.StartOf(start * 1000), clock.EndOf(end * 1000), setup * 1000));
            _fixedEnds[order.Id] = clock.EndOf(end * 1000);
        }

        var jobs = new List<ShopJob>();
        foreach (var (order, clock, open, _) in pending)
        {
            if (open.Count == 0)
            {
                continue;
            }

            if (reserved.TryGetValue(order.Id, out var reservation))
            {
                // Sold machine time: not the scheduler's to move. It starts no earlier than the job the machine holds ends.
                var (laid, overflow) = ReservedWork.Lay(open, reservation, _fixedEnds.TryGetValue(order.Id, out var heldEnd) ? Math.Max(now, heldEnd) : now);
                Fixed.AddRange(laid);
                _fixedEnds[order.Id] = laid.Max(j => j.End);
                taken[reservation.MachineId].AddRange(overflow);
                continue;
            }

            var operations = new List<ShopOperation>();
            var chain = new List<(long, long)>();
            var previous = new List<ScheduledOperation?>();
            foreach (var job in open)
            {
                var capable = machines.Where(m => m.SiteId == order.SiteId && m.Capabilities.Contains(job.Capability)
                    && (job.AllowedMachines?.Contains(m.Id) ?? true) && !job.Refusers.Contains(m.Id)).ToList();

                // A machine that stayed silent (not yet subscribed, or briefly cut off) is tried again when it is the only one.
                var answering = capable.Where(m => !job.Silent.Contains(m.Id)).ToList();
                var candidates = answering.Count > 0 ? answering : capable;
                if (candidates.Count == 0)
                {
                    Problems[order.Id] = $"no machine at the site can run '{job.Operation}' (needs '{job.Capability}'"
                        + (job.Refusers.Count > 0 ? $"; refused by machines {string.Join(", ", job.Refusers)}" : "") + ")";
                    break;
                }

                var duration = Seconds((job.Quantity - Math.Min(job.Good, job.Quantity - 1)) * job.UnitMs);
                // A job timed per machine takes each machine's own time (the scheduler weighs them when it chooses).
                var options = candidates.Select(m => new MachineOption(Index(m.Id), (int)Math.Min(Seconds(Work(job, m.Id, times)), ShopInstance.MaxTime))).ToList();
                foreach (var (option, machine) in options.Zip(candidates))
                {
                    _durationOn[(job.Id, option.Machine)] = option.Duration;
                    if (times.ContainsKey((job.Id, machine.Id)))
                    {
                        var units = job.Quantity - Math.Min(job.Good, job.Quantity - 1);
                        _unitOn[(job.Id, option.Machine)] = Math.Max(1, (Work(job, machine.Id, times) + units - 1) / units);
                    }
                }

                operations.Add(new ShopOperation(options, _setups.Of(job, order.ItemId)));
                chain.Add((job.Id, duration));
                _orderOfJob[job.Id] = order.Id;

                // The plan being followed, where it still fits: where the job's processing starts (after its setup). A job
                // planned on a machine that is now down or offline has none, so it goes where it finishes first at no cost.
                previous.Add(job.MachineId is { } planned && job.PlannedStart is { } start && candidates.Any(m => m.Id == planned && m.Available)
                    ? new ScheduledOperation(Index(planned), (int)Math.Min((clock.ToWork(start) / 1000) + (((job.PlannedSetupMs ?? 0) + 999) / 1000), ShopInstance.MaxTime))
                    : null);
            }

            if (Problems.ContainsKey(order.Id))
            {
                continue;
            }

            var due = clock.ToWork(order.DueAt) / 1000;
            var release = ready.GetValueOrDefault(order.Id);
            jobs.Add(new ShopJob(operations, (int)Math.Min(release, ShopInstance.MaxTime), (int)Math.Min(due, ShopInstance.MaxTime), order.Priority, order.Number));
            _chains.Add(chain);
            _clockOfChain.Add(clock);
            StartFrom.Add(previous);
        }

        if (jobs.Count == 0)
        {
            return;
        }

        var downtime = _machineIds.Select(id =>
        {
            var machine = machines.First(m => m.Id == id);
            var clock = calendar.Of(machine.SiteId);
            var allowance = settings.Repairs?.GetValueOrDefault(id) is { } learned && learned > TimeSpan.Zero ? learned : repairAllowance;
            var repaired = machine.Available ? 0 : Seconds(clock.ToWork(now + (long)allowance.TotalMilliseconds));
            var until = Math.Max(busy.GetValueOrDefault(id), repaired);
            var stops = calendar.StopsOf(id).Concat(taken.GetValueOrDefault(id) ?? [])
                .Select(stop => new Interval(clock.ToWork(stop.Start) / 1000, (clock.ToWork(stop.End) + 999) / 1000))
                .Concat(windows.GetValueOrDefault(id) ?? []);
            return (IReadOnlyList<TimeWindow>)[.. Intervals.Normalize(until > 0 ? stops.Append(new Interval(0, until)) : stops)
                .Where(w => w.Start < ShopInstance.MaxTime)
                .Select(w => new TimeWindow((int)w.Start, (int)Math.Min(w.End, ShopInstance.MaxTime)))];
        }).ToList();
        foreach (var machine in machines.Where(m => m.Last is not null && !loaded.ContainsKey(m.Id)))
        {
            loaded[machine.Id] = _setups.Of(machine.Last!.Value.Program, machine.Last.Value.SetupMs, machine.Last.Value.ItemId);
        }

        foreach (var (machine, family) in loaded)
        {
            if (index.TryGetValue(machine, out var i))
            {
                _setups.Loaded(i, family);
            }
        }

        if (settings.Setups is { Count: > 0 } learnedSetups)
        {
            _setups.Learn(learnedSetups.Where(kv => index.ContainsKey(kv.Key.Machine)).Select(kv => (index[kv.Key.Machine], kv.Key.From, kv.Key.To, kv.Value)));
        }

        if (settings.Families is { Learned.Count: > 0 } families)
        {
            _setups.LearnFamilies(families.Learned.Where(kv => index.ContainsKey(kv.Key.Machine)).Select(kv => (index[kv.Key.Machine], kv.Key.From, kv.Key.To, kv.Value)));
        }

        Instance = new ShopInstance(_machineIds.Count, jobs, _setups.ToSetupTimes(_machineIds.Count), downtime, "production");
    }

    /// <summary>The shop to solve; null when no order has a job left to plan.</summary>
    public ShopInstance? Instance { get; }

    /// <summary>The plan being followed, where it still fits, for the scheduler to start from (so a re-plan moves only what pays).</summary>
    public List<IReadOnlyList<ScheduledOperation?>> StartFrom { get; } = [];

    /// <summary>Jobs machines hold, with their projected ends.</summary>
    public List<PlannedJob> Held { get; } = [];

    /// <summary>Jobs of reserved orders, laid into their reserved machine time.</summary>
    public List<PlannedJob> Fixed { get; } = [];

    /// <summary>Waiting jobs inside the frozen horizon: they keep their machine and place (see <see cref="FrozenJobs"/>).</summary>
    public List<PlannedJob> Frozen { get; } = [];

    /// <summary>Orders left out of the plan, with the reason.</summary>
    public Dictionary<long, string> Problems { get; } = [];

    /// <summary>The remaining work of a held job: its setup until it started, then the units still to make.</summary>
    public static long Remaining(JobRow job) =>
        (job.StartedAt is null ? job.PlannedSetupMs ?? job.SetupMs : 0) + (Math.Max(0, job.Quantity - job.Good) * job.UnitMs);

    public ProductionPlan Read(Schedule? schedule, long tardiness, long makespan)
    {
        var planned = new List<PlannedJob>(Held.Concat(Frozen).Concat(Fixed));
        var eta = new Dictionary<long, long>(_fixedEnds);
        if (schedule is not null)
        {
            var setups = SetupFamilies.Applied(Instance!, schedule);
            for (var j = 0; j < _chains.Count; j++)
            {
                for (var k = 0; k < _chains[j].Count; k++)
                {
                    var (jobId, duration) = _chains[j][k];
                    var (machine, start) = schedule.Jobs[j][k];
                    duration = _durationOn.GetValueOrDefault((jobId, machine), duration);
                    var setup = setups[(j, k)];
                    var job = new PlannedJob(jobId, _machineIds[machine], _clockOfChain[j].StartOf((start - setup) * 1000L),
                        _clockOfChain[j].EndOf((start + duration) * 1000), setup * 1000L, _unitOn.TryGetValue((jobId, machine), out var unit) ? unit : null);
                    planned.Add(job);
                    var order = _orderOfJob[jobId];
                    eta[order] = Math.Max(eta.GetValueOrDefault(order), job.End);
                }
            }
        }

        foreach (var order in Problems.Keys)
        {
            eta.Remove(order);
        }

        return new ProductionPlan(planned, eta, Problems, tardiness, makespan);
    }

    /// <summary>The units still to make (a job restarted makes at least one), in ms on that machine.</summary>
    private static long Work(JobRow job, long machineId, IReadOnlyDictionary<(long JobId, long MachineId), JobTime> times)
    {
        var units = job.Quantity - Math.Min(job.Good, job.Quantity - 1);
        return times.TryGetValue((job.Id, machineId), out var time) ? time.For(units) : units * job.UnitMs;
    }

    /// <summary>Whole seconds, rounded up, at least one: the scheduler's unit.</summary>
    private static long Seconds(long ms) => Math.Max(1, (ms + 999) / 1000);
}
