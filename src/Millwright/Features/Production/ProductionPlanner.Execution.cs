using System.Globalization;
using Millwright.Api;

namespace Millwright.Features.Production;

/// <summary>Following jobs on the machines: answers, counts, completion, breakdowns, timeouts and lateness.</summary>
internal sealed partial class ProductionPlanner
{
    private async Task HandleAckAsync(AckReceived e)
    {
        await using var s = await OpenAsync(e.TenantId);
        var job = await ProductionStore.JobAsync(s, e.Ack.JobId);
        if (job is null || job.MachineId != e.MachineId || !JobStatus.IsActive(job.Status))
        {
            // A late answer about a job the machine no longer holds (moved, cancelled, timed out): nothing to do.
            LogStaleAck(logger, e.MachineName, e.Ack.JobId, e.Ack.Status);
            return;
        }

        switch (e.Ack.Status)
        {
            case CommandAck.Accepted when job.Status == JobStatus.Dispatched:
                await ProductionStore.StartJobAsync(s, job.Id);
                break;
            case CommandAck.Rejected:
                await GiveBackAsync(s, job, e.MachineName, $"{e.MachineName} refused it: {e.Ack.Reason ?? "no reason given"}");
                break;
            case CommandAck.Completed:
                // "completed" says the quantity is made. Counts in the answer, when given, are the machine's own for
                // the command it ran, which asked only for what earlier runs on other machines had not made.
                var (earlierGood, earlierScrap) = await ProductionStore.EarlierRunsAsync(s, job.Id);
                await CompleteAsync(s, job, Math.Max(job.Good, e.Ack.Good is { } good ? earlierGood + good : job.Quantity),
                    Math.Max(job.Scrap, earlierScrap + (e.Ack.Scrap ?? 0)));
                break;
        }

        await s.CommitAsync();
        _touched.Add(e.TenantId);
    }

    /// <summary>
    /// A job refused by a machine goes back to planning without that machine; one whose command went unanswered
    /// goes back avoiding that machine while another can run it.
    /// </summary>
    private async Task GiveBackAsync(Session s, JobRow job, string machine, string note, bool refused = true)
    {
        var refusers = refused ? job.Refusers.Append(job.MachineId!.Value).Distinct().ToList() : job.Refusers;
        var silent = refused ? job.Silent : job.Silent.Append(job.MachineId!.Value).Distinct().ToList();
        await ProductionStore.RecordRunAsync(s, job, note);
        await ProductionStore.RequeueJobAsync(s, job.Id, note, (refusers, silent));
        await s.AuditAsync(refused ? "reject" : "timeout", "job", job.Id, $"{job.OrderNumber} '{job.Operation}': {note}");
        inbox.Release(s.Tenant, job.MachineId!.Value, job.Id);
        MarkDirty(s.Tenant, $"{job.OrderNumber} '{job.Operation}' given back by {machine}");
    }

    /// <summary>Adds the counted parts to the jobs being run; a job whose good parts reach its quantity is complete.</summary>
    private async Task ProgressAsync()
    {
        foreach (var tenantCounts in inbox.TakeCounts().GroupBy(c => c.Tenant))
        {
            if (!leadership.Leads(tenantCounts.Key))
            {
                // Lost the tenant since they were counted: they go on to its leader.
                foreach (var (tenant, machine, parts, scrap, at) in tenantCounts)
                {
                    inbox.Counted(tenant, machine, parts, scrap, at);
                }

                continue;
            }

            await using var s = await OpenAsync(tenantCounts.Key);
            foreach (var (tenant, machine, parts, scrap, _) in tenantCounts)
            {
                // A job resent after a restart is counted from its first run on, before its machine answers again.
                if (!inbox.TryGetHeld(tenant, machine, out var jobId)
                    || await ProductionStore.JobAsync(s, jobId) is not { } job
                    || !(job.Status == JobStatus.Running || job is { Status: JobStatus.Dispatched, StartedAt: not null }))
                {
                    continue;
                }

                var good = Math.Max(0, job.Good + (long)Math.Round(parts - scrap));
                var scrapped = job.Scrap + (long)Math.Round(scrap);
                if (good >= job.Quantity)
                {
                    await CompleteAsync(s, job, good, scrapped);
                    _touched.Add(tenant);
                }
                else
                {
                    await ProductionStore.CountJobAsync(s, job.Id, good, scrapped);
                }
            }

            await s.CommitAsync();
        }
    }

    /// <summary>
    /// Ends a job: its materials are issued from the order's site for every unit made (scrap too), and when it
    /// was the order's last operation the order is complete and its good units are received into stock.
    /// </summary>
    private async Task CompleteAsync(Session s, JobRow job, long good, long scrap)
    {
        await ProductionStore.FinishJobAsync(s, job.Id, good, scrap);
        inbox.Release(s.Tenant, job.MachineId!.Value, job.Id);
        _lateFlagged.Remove(job.Id);
        var order = (await ProductionStore.OrderAsync(s, job.OrderId))!;
        foreach (var material in job.MaterialList)
        {
            var shortfall = await ProductionStore.IssueAsync(s, material.ItemId, order.SiteId, material.Quantity * (good + scrap), $"{order.Number} '{job.Operation}'");
            if (shortfall > 1e-9)
            {
                await s.AuditAsync("shortage", "job", job.Id, string.Create(CultureInfo.InvariantCulture,
                    $"{order.Number} '{job.Operation}' used {shortfall:0.###} more of item {material.ItemId} than site {order.SiteId} held; stock stays at zero"));
            }
        }

        if (await ProductionStore.HasLaterJobsAsync(s, job.OrderId, job.Seq))
        {
            return;
        }

        var totalScrap = await ProductionStore.CompleteOrderAsync(s, job.OrderId, good);
        foreach (var completion in completions)
        {
            await completion.CompletedAsync(s, order, good, totalScrap);
        }

        if (good > 0)
        {
            await ProductionStore.MoveAsync(s, order.ItemId, order.SiteId, "receipt", good, $"made by order {order.Number}");
        }

        var late = s.Now > order.DueAt ? $", {(s.Now - order.DueAt) / 60_000.0:0.#} min late" : ", on time";
        await s.AuditAsync("complete", "order", order.Id, $"order {order.Number} complete: {good} good, {totalScrap} scrap{late}");
    }

    /// <summary>A machine that went down or offline loses its job: it is told to drop it, and the job is planned again.</summary>
    private async Task InterruptAsync(long tenant, long machineId, long jobId, string reason)
    {
        string? machine = null;
        JobRow? job;
        await using (var s = await OpenAsync(tenant))
        {
            job = await ProductionStore.JobAsync(s, jobId);
            if (job is null || job.MachineId != machineId || !JobStatus.IsActive(job.Status))
            {
                inbox.Release(tenant, machineId, jobId);
                return;
            }

            machine = job.MachineName;
            var note = $"interrupted on {machine} after {job.Good} good: {reason}";
            await ProductionStore.RecordRunAsync(s, job, reason);
            await ProductionStore.RequeueJobAsync(s, job.Id, note);
            await s.AuditAsync("interrupt", "job", job.Id, $"{job.OrderNumber} '{job.Operation}' {note}");
            var slug = await SlugAsync(s);
            await s.CommitAsync();
            inbox.Release(tenant, machineId, jobId);
            await SendAsync(tenant, slug, machineId, machine!, CommandJson.Cancel(job.Id, $"j{job.Id}-c{job.Commands}", reason));
        }

        MarkDirty(tenant, $"{reason}; {job.OrderNumber} '{job.Operation}' to plan again");
    }

    private async Task TellCancelledAsync(JobsCancelled e)
    {
        await using var s = await OpenAsync(e.TenantId);
        var slug = await SlugAsync(s);
        foreach (var job in e.Held.Where(j => j.MachineId is not null && j.MachineName is not null))
        {
            inbox.Release(e.TenantId, job.MachineId!.Value, job.Id);
            await SendAsync(e.TenantId, slug, job.MachineId!.Value, job.MachineName!, CommandJson.Cancel(job.Id, $"j{job.Id}-c{job.Commands}", e.Reason));
        }

        _touched.Add(e.TenantId);
    }

    /// <summary>Unanswered commands time out, running jobs that fall behind are flagged late, and open orders are re-planned now and then.</summary>
    private async Task CheckTimesAsync()
    {
        var now = Now;
        foreach (var tenant in inbox.TenantsHolding().Where(leadership.Leads))
        {
            await using var s = await OpenAsync(tenant);
            var held = await ProductionStore.HeldJobsAsync(s);
            var cancels = new List<(long MachineId, string Machine, byte[] Command)>();
            foreach (var job in held)
            {
                if (job.Status == JobStatus.Dispatched && job.DispatchedAt < now - (long)options.AckTimeout.TotalMilliseconds)
                {
                    await GiveBackAsync(s, job, job.MachineName!, $"no answer from {job.MachineName} within {options.AckTimeout.TotalSeconds:0} s", refused: false);
                    cancels.Add((job.MachineId!.Value, job.MachineName!, CommandJson.Cancel(job.Id, $"j{job.Id}-c{job.Commands}", "no answer in time; job planned again")));
                }
                else if (job.Status == JobStatus.Running && job.CommittedEnd is { } committed && !_lateFlagged.Contains(job.Id))
                {
                    var tolerance = Math.Max((long)options.LateTolerance.TotalMilliseconds, (committed - (job.DispatchedAt ?? committed)) / 10);
                    var projected = now + PlanBuilder.Remaining(job);
                    if (projected > committed + tolerance)
                    {
                        _lateFlagged.Add(job.Id);
                        MarkDirty(tenant, $"{job.OrderNumber} '{job.Operation}' on {job.MachineName} runs {(projected - committed) / 1000} s late");
                    }
                }
            }

            if (cancels.Count > 0)
            {
                var slug = await SlugAsync(s);
                await s.CommitAsync();
                foreach (var (machineId, machine, command) in cancels)
                {
                    await SendAsync(tenant, slug, machineId, machine, command);
                }
            }
        }

        foreach (var (tenant, at) in _lastPlanned.ToList())
        {
            if (now - at >= options.ReplanEvery.TotalMilliseconds)
            {
                MarkDirty(tenant, PeriodicReason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answer from {Machine} about job {Job} ({Status}) ignored: the machine does not hold it")]
    private static partial void LogStaleAck(ILogger logger, string machine, long job, string status);
}
