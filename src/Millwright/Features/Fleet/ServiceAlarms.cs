using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Fleet;

/// <summary>
/// Raises the "service overdue" alarm of a fleet machine while any service interval of its model is overdue, and
/// clears it when none is (a service recorded, the interval changed or removed). Checked every minute for every
/// tenant with service intervals, and at once for a tenant after its intervals or services change. Only changes
/// are sent to the alarm writer; after a start each machine's first verdict is sent either way.
/// </summary>
internal sealed partial class ServiceAlarms(IDatabase database, Sessions sessions, LatestValues latest, AlarmWriter alarms, TimeProvider clock, ILogger<ServiceAlarms> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(long Tenant, long Machine), bool> _last = new();
    private readonly SemaphoreSlim _gate = new(1);

    public async Task CheckAsync(long tenantId, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var due = await sessions.RunAsync(new Caller(0, "service alarms", tenantId, Role.Viewer), s => FleetMaintenance.DueAsync(s, latest, null, 0, 0), ct);
            var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var seen = new HashSet<long>();
            foreach (var machine in due.Items.GroupBy(i => i.MachineId))
            {
                seen.Add(machine.Key);
                var overdue = machine.Where(i => i.Status == "overdue").ToList();
                Decide(tenantId, machine.Key, overdue.Count > 0, overdue.Count > 0 ? string.Join("; ", overdue.Select(Describe)) : "no service overdue", at);
            }

            // A machine that left the fleet or whose intervals are gone has nothing overdue any more.
            foreach (var key in _last.Keys.Where(k => k.Tenant == tenantId && !seen.Contains(k.Machine)).ToList())
            {
                Decide(tenantId, key.Machine, false, "no service interval applies", at);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Decide(long tenantId, long machineId, bool overdue, string value, long at)
    {
        if (_last.TryGetValue((tenantId, machineId), out var last) && last == overdue)
        {
            return;
        }

        if (alarms.TryEnqueue(new AlarmTransition(overdue ? TransitionKind.Raise : TransitionKind.Clear, FleetAlarms.For(FleetAlarms.ServiceOverdue, tenantId), tenantId, machineId, value, at)))
        {
            _last[(tenantId, machineId)] = overdue;
        }
    }

    private static string Describe(MaintenanceDueDto d) => d.RemainingHours is { } h && h < 0
        ? string.Create(CultureInfo.InvariantCulture, $"{d.Interval} by {-h:0.#} h")
        : d.DueAt is { } dueAt ? string.Create(CultureInfo.InvariantCulture, $"{d.Interval} since {dueAt:yyyy-MM-dd}") : d.Interval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Period, clock, stoppingToken);
                List<long> tenants;
                try
                {
                    await using var connection = await database.OpenAsync(stoppingToken);
                    tenants = (await connection.QueryAsync<long>(new CommandDefinition("SELECT DISTINCT tenant_id FROM fleet_service_intervals ORDER BY tenant_id", cancellationToken: stoppingToken))).AsList();
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // The store is out of reach: looked at again next period. Before, this ended the host.
                    LogTenantsFailed(logger, e);
                    continue;
                }

                foreach (var tenant in tenants)
                {
                    try
                    {
                        await CheckAsync(tenant, stoppingToken);
                    }
                    catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                    {
                        LogCheckFailed(logger, e, tenant);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the next start checks again.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the overdue services of tenant {Tenant} failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception e, long tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fleet's service check could not read the tenants; tried again next period")]
    private static partial void LogTenantsFailed(ILogger logger, Exception exception);
}
