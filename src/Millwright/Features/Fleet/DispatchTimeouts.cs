using System.Globalization;
using Dapper;
using Millwright.Api;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Fleet;

/// <summary>
/// Ends dispatches nobody answers: every <see cref="FleetOptions.DispatchCheckEvery"/>, an assignment still
/// <c>sent</c> longer than <see cref="FleetOptions.DispatchAckTimeout"/> after it went out becomes <c>failed</c>,
/// naming the machine and the timeout; so does a release (<c>fleet.release</c>) nobody answers. A late answer is
/// still recorded (the machine has the command after all).
/// </summary>
internal sealed partial class DispatchTimeouts(IDatabase database, FleetOptions options, TimeProvider clock, ILogger<DispatchTimeouts> logger) : BackgroundService
{
    private static readonly Caller Sweeper = new(0, "fleet-dispatch-timeouts", null, Role.TenantAdmin);

    /// <summary>Fails every overdue dispatch now; answers how many. The loop calls it; a test may too.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.DispatchAckTimeout.TotalMilliseconds;
        List<long> tenants;
        await using (var connection = await database.OpenAsync(ct))
        {
            // The one query across tenants: which of them have overdue dispatches. Each is then failed in its own tenant's session.
            tenants = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT tenant_id FROM fleet_plan_assignments WHERE dispatch_status = 'sent' AND dispatched_at < @cutoff
                UNION SELECT tenant_id FROM fleet_plan_releases WHERE dispatch_status = 'sent' AND dispatched_at < @cutoff
                ORDER BY tenant_id
                """,
                new { cutoff }, cancellationToken: ct))).AsList();
        }

        var failed = 0;
        var seconds = options.DispatchAckTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var tenant in tenants)
        {
            await using var s = await Session.BeginAsync(database, Sweeper with { TenantId = tenant }, clock, ct);
            var overdue = await s.QueryAsync<(long Id, string Machine)>(
                """
                SELECT x.id, m.name FROM fleet_plan_assignments x JOIN machines m ON m.tenant_id = x.tenant_id AND m.id = x.machine_id
                WHERE x.tenant_id = @Tenant AND x.dispatch_status = 'sent' AND x.dispatched_at < @cutoff
                """, new { s.Tenant, cutoff });
            foreach (var (id, machine) in overdue)
            {
                // Still 'sent' in the condition: an answer recorded since the select wins.
                failed += await s.ExecuteAsync(
                    "UPDATE fleet_plan_assignments SET dispatch_status = 'failed', dispatch_detail = @detail, answered_at = @Now WHERE tenant_id = @Tenant AND id = @id AND dispatch_status = 'sent'",
                    new { s.Tenant, id, detail = $"no answer from {machine} within {seconds} s (timed out)", s.Now });
            }

            var releases = await s.QueryAsync<(long Id, string Machine)>(
                """
                SELECT x.id, m.name FROM fleet_plan_releases x JOIN machines m ON m.tenant_id = x.tenant_id AND m.id = x.machine_id
                WHERE x.tenant_id = @Tenant AND x.dispatch_status = 'sent' AND x.dispatched_at < @cutoff
                """, new { s.Tenant, cutoff });
            foreach (var (id, machine) in releases)
            {
                failed += await s.ExecuteAsync(
                    "UPDATE fleet_plan_releases SET dispatch_status = 'failed', dispatch_detail = @detail, answered_at = @Now WHERE tenant_id = @Tenant AND id = @id AND dispatch_status = 'sent'",
                    new { s.Tenant, id, detail = $"no answer from {machine} to its release within {seconds} s (timed out)", s.Now });
            }

            await s.CommitAsync(ct);
        }

        return failed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.DispatchCheckEvery, clock, stoppingToken);
                try
                {
                    if (await SweepAsync(stoppingToken) is > 0 and var failed)
                    {
                        LogTimedOut(logger, failed, options.DispatchAckTimeout.TotalSeconds);
                    }
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} fleet dispatches had no answer within {Seconds} s and are failed")]
    private static partial void LogTimedOut(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for unanswered fleet dispatches failed; trying again at the next check")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
