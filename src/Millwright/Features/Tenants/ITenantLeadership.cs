namespace Millwright.Features.Tenants;

/// <summary>
/// Whether this node runs a tenant's background duties now (production planning and dispatch, maintenance planning).
/// In a cluster a tenant has one leader, the node holding the lease of the tenant's bucket, so its orders are planned
/// and its jobs dispatched once, not once per node; a single node leads every tenant (<see cref="EveryTenant"/>).
/// </summary>
internal interface ITenantLeadership
{
    bool Leads(long tenantId);

    /// <summary>Changes whenever the tenants this node leads may have changed (a lease taken, released or lost).</summary>
    long Version { get; }
}

/// <summary>A single node: it leads every tenant, for good.</summary>
internal sealed class EveryTenant : ITenantLeadership
{
    public bool Leads(long tenantId) => true;

    public long Version => 0;
}
