using Millwright.Features.Cluster;
using Millwright.Features.Tenants;

namespace Millwright.Features.ClusterLeaders;

/// <summary>A tenant is led by the node holding the lease of the tenant's bucket, by that node's own clock.</summary>
internal sealed class LeaseLeadership(ClusterNode node) : ITenantLeadership
{
    public bool Leads(long tenantId) => node.Leads(tenantId);

    public long Version => node.HeldChanges;
}
