using Millwright.Api;
using Millwright.Features.Connectivity;
using Millwright.Features.States;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Production;

/// <summary>
/// Runs production: plans the open orders of each tenant with the scheduler, sends each machine its next job,
/// follows jobs through the machines' answers and part counters, and plans again when a machine goes down or
/// refuses, a job runs late, an order arrives, or a minute has passed. One loop owns all of it, so events
/// never race one another; the store is the record, the fields below only remember what the store cannot.
/// Commands go out, and answers come back, through the machine-command port (<see cref="IMachineCommands"/>).
/// It plans only the tenants this node leads (<see cref="ITenantLeadership"/>: all of them on a single node); when
/// it comes to lead a tenant it takes the tenant's held jobs from the store as at a start, and when it stops, it
/// forgets the tenant.
/// </summary>
internal sealed partial class ProductionPlanner(
    IDatabase database, TimeProvider clock, ProductionInbox inbox, IMachineCommands commands, ProductionOptions options, ILogger<ProductionPlanner> logger,
    IEnumerable<IMachineReservations> reservations, IEnumerable<IOrderCompletions> completions, IEnumerable<IJobTimes> jobTimes, ITenantLeadership leadership)
    : BackgroundService
{
    private static readonly Caller Planner = new(0, "planner", null, Role.TenantAdmin);

    // Owned by the loop.
    private readonly Dictionary<long, List<string>> _dirty = [];
    private readonly HashSet<long> _touched = [];
    private readonly Dictionary<long, long> _lastPlanned = [];
    private readonly Dictionary<(long Tenant, long Machine), string> _states = [];
    private readonly HashSet<long> _lateFlagged = [];
    private HashSet<long> _led = [];
    private long _leadershipSeen = -1;
    private long _lastCheck;

    /// <summary>Plans made since start, for tests and metrics.</summary>
    public long Plans { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();

        // A start (also of this instance again) takes every tenant it leads from the store as new.
        _leadershipSeen = -1;
        _led = [];
        var reload = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // What a failed round changed in memory may not have reached the store, so the store's view is
                // loaded again first; inside the try, because the store may still be away (a reload that failed
                // outside it ended the host during a PostgreSQL restart).
                if (reload)
                {
                    await ReloadAsync("a failed planner round", stoppingToken);
                    reload = false;
                }

                await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A failed round or reload (a store outage) is retried after a tick; the loop never stops for it.
                LogFailed(logger, e, "round");
                reload = true;
                await Task.Delay(options.Tick, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Follows which tenants this node leads (at start: every tenant it leads is new to it). For a tenant it now
    /// leads, every job the store says a machine holds is sent to it again, as dispatched: a machine still running
    /// it answers "accepted" (the same job again is a resend) and goes on, one that restarted without it starts what
    /// is left, and one that is gone stays silent until the answer times out and the job is planned elsewhere; then
    /// the tenant is planned. A tenant it no longer leads is forgotten: its new leader does the same.
    /// </summary>
    private async Task FollowLeadershipAsync(CancellationToken stoppingToken)
    {
        var version = leadership.Version;
        if (version == _leadershipSeen)
        {
            return;
        }

        IReadOnlyList<(long TenantId, long MachineId, long JobId)> held;
        IReadOnlyList<long> open;
        try
        {
            held = await ProductionStore.HeldEverywhereAsync(database, stoppingToken);
            open = await ProductionStore.TenantsWithOpenOrdersAsync(database, stoppingToken);
        }
        catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
        {
            LogFailed(logger, e, "leadership check");
            return;
        }

        var first = _leadershipSeen < 0;
        _leadershipSeen = version;
        var led = held.Select(h => h.TenantId).Concat(open).Where(leadership.Leads).ToHashSet();
        foreach (var tenant in _led.Concat(_lastPlanned.Keys).Concat(_dirty.Keys).Concat(inbox.TenantsHolding()).Distinct().Where(t => !leadership.Leads(t)).ToList())
        {
            Forget(tenant);
        }

        if (first)
        {
            // What the inbox remembers from before a stop is the store's to say.
            inbox.HoldOnly([]);
        }

        foreach (var tenant in led.Where(t => !_led.Contains(t)))
        {
            await TakeOverAsync(tenant, held, first ? "the platform started" : "this node now leads the tenant's planning");
        }
    }

    /// <summary>
    /// A tenant this node leads and has not run since it started leading it: what its machines hold is taken from the
    /// store and sent to them again, and it is planned. Whoever notices first (a leadership change, the tenant's own
    /// event or plan request) calls it; it runs once per stretch of leadership.
    /// </summary>
    private async Task TakeOverAsync(long tenant, IReadOnlyList<(long TenantId, long MachineId, long JobId)>? held, string reason)
    {
        _led.Add(tenant);
        held ??= await ProductionStore.HeldEverywhereAsync(database, CancellationToken.None);
        foreach (var (_, machine, jobId) in held.Where(h => h.TenantId == tenant))
        {
            inbox.Hold(tenant, machine, jobId);
            try
            {
                await ResumeAsync(tenant, jobId);
            }
            catch (Exception e) when (LoopFaults.Survives(e, CancellationToken.None))
            {
                // That job's answer times out and it is planned again; the others are still sent.
                LogFailed(logger, e, "resume");
            }
        }

        MarkDirty(tenant, reason);
    }

    /// <summary>This node no longer leads the tenant: what it remembers of it goes; the new leader reads the store.</summary>
    private void Forget(long tenant)
    {
        LogForgotten(logger, tenant);
        _led.Remove(tenant);
        _dirty.Remove(tenant);
        _touched.Remove(tenant);
        _lastPlanned.Remove(tenant);
        foreach (var key in _states.Keys.Where(k => k.Tenant == tenant).ToList())
        {
            _states.Remove(key);
        }

        inbox.Forget(tenant);
    }

    private async Task ResumeAsync(long tenant, long jobId)
    {
        await using var s = await OpenAsync(tenant);
        if (await ProductionStore.JobAsync(s, jobId) is not { MachineName: { } machine, MachineId: { } machineId } job || !JobStatus.IsActive(job.Status)
            || await ProductionStore.OrderAsync(s, job.OrderId) is not { } order)
        {
            return;
        }

        await ProductionStore.ResendJobAsync(s, job.Id);
        var slug = await SlugAsync(s);
        await s.CommitAsync(CancellationToken.None);
        await SendAsync(tenant, slug, machineId, machine, CommandJson.Job(job, order, $"j{job.Id}-{job.Commands + 1}", s.Now), job.Id);
    }

    /// <summary>Takes which machine holds which job from the store, and plans every tenant with open orders again.</summary>
    private async Task ReloadAsync(string reason, CancellationToken stoppingToken)
    {
        try
        {
            inbox.HoldOnly((await ProductionStore.HeldEverywhereAsync(database, stoppingToken)).Where(h => leadership.Leads(h.TenantId)));

            foreach (var tenant in (await ProductionStore.TenantsWithOpenOrdersAsync(database, stoppingToken)).Where(leadership.Leads))
            {
                MarkDirty(tenant, reason);
            }
        }
        catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
        {
            LogFailed(logger, e, "reload");
        }
    }

    /// <summary>Waits for an event or a tick, then handles events, counts, time checks, plans and dispatch in that order.</summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        await FollowLeadershipAsync(cancellationToken);
        if (!inbox.Events.TryPeek(out _))
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tick = Task.Delay(options.Tick, clock, wake.Token);
            await Task.WhenAny(inbox.Events.WaitToReadAsync(wake.Token).AsTask(), tick).ConfigureAwait(false);
            await wake.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        while (inbox.Events.TryRead(out var e))
        {
            if (!leadership.Leads(e.TenantId))
            {
                // Queued before this node stopped leading the tenant: it goes on to the new leader.
                inbox.Post(e);
                continue;
            }

            if (!_led.Contains(e.TenantId))
            {
                // Taken over between two looks at the leases: what its machines hold comes first.
                await TakeOverAsync(e.TenantId, null, "the tenant's planning starts on this node");
            }

            await HandleAsync(e);
        }

        await ProgressAsync();
        var now = Now;
        if (now - _lastCheck >= options.Tick.TotalMilliseconds)
        {
            _lastCheck = now;
            await CheckTimesAsync();
        }

        foreach (var (tenant, reasons) in _dirty.ToList())
        {
            _dirty.Remove(tenant);
            if (!leadership.Leads(tenant))
            {
                continue;
            }

            if (!_led.Contains(tenant))
            {
                await TakeOverAsync(tenant, null, "the tenant's planning starts on this node");
            }

            await PlanAsync(tenant, reasons, cancellationToken);
            _touched.Add(tenant);
        }

        foreach (var tenant in _touched.ToList())
        {
            _touched.Remove(tenant);
            if (leadership.Leads(tenant))
            {
                await DispatchAsync(tenant);
            }
        }
    }

    private async Task HandleAsync(ProductionEvent e)
    {
        switch (e)
        {
            case PlanRequested request:
                MarkDirty(request.TenantId, request.Reason);
                break;
            case JobsCancelled cancelled:
                await TellCancelledAsync(cancelled);
                break;
            case StateObserved observed:
                await ObserveStateAsync(observed);
                break;
            case AckReceived ack:
                await HandleAckAsync(ack);
                break;
        }
    }

    private async Task ObserveStateAsync(StateObserved observed)
    {
        var key = (observed.TenantId, observed.State.MachineId);
        var wasAvailable = ProductionStore.IsAvailable(_states.GetValueOrDefault(key));
        _states[key] = observed.State.State;
        var available = ProductionStore.IsAvailable(observed.State.State);
        if (wasAvailable == available)
        {
            return;
        }

        if (!available && inbox.TryGetHeld(observed.TenantId, observed.State.MachineId, out var jobId))
        {
            await InterruptAsync(observed.TenantId, observed.State.MachineId, jobId,
                $"machine {observed.State.MachineId} went {observed.State.State}" + (observed.State.Reason is { } r ? $" ({r})" : ""));
        }
        else if (available && _lastPlanned.ContainsKey(observed.TenantId))
        {
            MarkDirty(observed.TenantId, $"machine {observed.State.MachineId} is back ({observed.State.State})");
        }
    }

    private void MarkDirty(long tenant, string reason)
    {
        if (!_dirty.TryGetValue(tenant, out var reasons))
        {
            _dirty[tenant] = reasons = [];
        }

        if (reasons.Count < 5 && !reasons.Contains(reason))
        {
            reasons.Add(reason);
        }
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<Session> OpenAsync(long tenant) => Session.BeginAsync(database, Planner with { TenantId = tenant }, clock);

    /// <summary>
    /// Read in the same session as the command it addresses, never remembered: a tenant's slug can be renamed,
    /// and its old slug taken by another tenant, so a remembered one could send work to the wrong tenant's machines.
    /// </summary>
    private static Task<string> SlugAsync(Session s) => ProductionStore.TenantSlugAsync(s);

    /// <summary>
    /// Sends a command through the port. A job command the machine's transport cannot take (a Modbus or Sparkplug B
    /// machine given a capability) is handled as the machine refusing it, so the job is planned elsewhere.
    /// </summary>
    private async Task SendAsync(long tenant, string slug, long machineId, string machine, byte[] payload, long? jobId = null)
    {
        var receipt = await commands.SendAsync(new MachineCommand(tenant, slug, machineId, machine, payload), CancellationToken.None);
        if (receipt.Refusal is { } refusal)
        {
            LogRefused(logger, machine, refusal);
            if (jobId is { } id)
            {
                inbox.Post(new AckReceived(tenant, machineId, machine, new CommandAck(null, id, CommandAck.Rejected, refusal, null, null)));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Production planner: the {Step} failed; it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception e, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Production planner: a command to {Machine} was not sent: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string machine, string refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Production planner: this node no longer leads tenant {Tenant}; its new leader plans it")]
    private static partial void LogForgotten(ILogger logger, long tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Production plan for tenant {Tenant}: {Summary}")]
    private static partial void LogPlan(ILogger logger, long tenant, string summary);
}
