using Millwright.Api;
using Millwright.Features.Calendars;
using Millwright.Security;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Every tenant's failure-risk estimates, computed for all its machines at most once per <see cref="Fresh"/> and served
/// from memory to every big screen and machine page (docs/predictive-maintenance.md, "The risk cache"). Callers that
/// arrive while an estimate is being computed wait for that one rather than starting their own. What the platform
/// changes itself drops the tenant's estimate at once: a maintenance record, risk settings, any calendar change (the
/// planned stops shown); new telemetry and states are seen within <see cref="Fresh"/>. One entry per tenant that has
/// asked (its machines' estimates); a failed computation is not kept.
/// </summary>
internal sealed class RiskCache(Sessions sessions, MachineRisk risk, TimeProvider clock) : ICalendarListener
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Entry> _tenants = [];
    private long _computations;

    private sealed record Entry(DateTimeOffset Started, Task<RiskListDto> Estimate);

    /// <summary>How many estimates of a whole tenant were computed since start (what the cache saves is visible in it).</summary>
    public long Computations => Interlocked.Read(ref _computations);

    /// <summary>Every machine of the tenant, the riskiest first, as computed at most <see cref="Fresh"/> ago (or being computed now).</summary>
    public Task<RiskListDto> AllAsync(long tenant, CancellationToken ct)
    {
        Entry? entry;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (!_tenants.TryGetValue(tenant, out entry) || entry.Estimate.IsFaulted || entry.Estimate.IsCanceled
                || (entry.Estimate.IsCompleted && now - entry.Started >= Fresh))
            {
                entry = new Entry(now, ComputeAsync(tenant));
                _tenants[tenant] = entry;
            }
        }

        // The computation is shared: one caller giving up does not cancel it for the others.
        return entry.Estimate.WaitAsync(ct);
    }

    /// <summary>One machine's estimate; null when the machine is not among the tenant's (the caller checks it exists first).</summary>
    public async Task<MachineRiskDto?> MachineAsync(long tenant, long machineId, CancellationToken ct)
    {
        if ((await AllAsync(tenant, ct)).Items.FirstOrDefault(m => m.MachineId == machineId) is { } cached)
        {
            return cached;
        }

        // A machine added since the estimate was made: make a new one.
        Invalidate(tenant);
        return (await AllAsync(tenant, ct)).Items.FirstOrDefault(m => m.MachineId == machineId);
    }

    /// <summary>Drops the tenant's estimate: the next caller computes a new one.</summary>
    public void Invalidate(long tenant)
    {
        lock (_lock)
        {
            _tenants.Remove(tenant);
        }
    }

    public void CalendarChanged(long tenantId) => Invalidate(tenantId);

    private async Task<RiskListDto> ComputeAsync(long tenant)
    {
        Interlocked.Increment(ref _computations);
        await Task.Yield();  // the caller holds the lock: compute after it is released
        var caller = new Caller(0, "risk-cache", tenant, Role.Viewer);
        var histories = await sessions.RunAsync(caller, risk.HistoriesAsync, CancellationToken.None);
        var machines = new List<MachineRiskDto>();
        foreach (var history in histories)
        {
            machines.AddRange(await risk.EstimateAsync(tenant, history, history.Machines.Keys, CancellationToken.None));
        }

        return new RiskListDto([.. machines.OrderByDescending(m => m.NextDay ?? -1).ThenBy(m => m.MachineId)],
            histories.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(histories[0].Now) : clock.GetUtcNow());
    }
}
