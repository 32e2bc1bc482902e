using Dapper;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Runs <see cref="MaintenancePlanning"/> for every tenant each <see cref="MaintenanceOptions.PlanEvery"/> (first after
/// one period, so a starting host is not slowed), on the tenant's leader only in a cluster. A tenant whose pass fails
/// is logged and tried again next period.
/// </summary>
internal sealed partial class MaintenanceScheduler(
    IDatabase database, MaintenancePlanning planning, MaintenanceOptions options, TimeProvider clock, ITenantLeadership leadership, ILogger<MaintenanceScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PlanEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            IReadOnlyList<long> tenants;
            try
            {
                await using var connection = await database.OpenAsync(stoppingToken);
                tenants = [.. await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM tenants ORDER BY id", cancellationToken: stoppingToken))];
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                // The store is out of reach: planned at the next interval. Before, this ended the host.
                LogTenantsFailed(logger, e);
                continue;
            }

            foreach (var tenant in tenants.Where(leadership.Leads))
            {
                try
                {
                    await planning.PlanAsync(new Caller(0, "maintenance-planner", tenant, Role.TenantAdmin), stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    LogFailed(logger, tenant, e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance planning for tenant {Tenant} failed; tried again next period")]
    private static partial void LogFailed(ILogger logger, long tenant, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance planning could not read the tenants; tried again next period")]
    private static partial void LogTenantsFailed(ILogger logger, Exception exception);
}
