using System.Diagnostics.Metrics;

namespace Millwright.Features.Metrics;

/// <summary>
/// The counter every quota of the platform reports a refusal to (<c>millwright.quota.refusals</c>), tagged with the
/// quota's name and the tenant, so an operator sees which limit bites whom without each feature inventing a metric.
/// </summary>
internal sealed class QuotaRefusals
{
    public const string MeterName = "Millwright.Quotas";

    private readonly Counter<long> _refusals;
    private readonly TenantLabels _tenants;

    public QuotaRefusals(IMeterFactory meters, TenantLabels tenants)
    {
        _tenants = tenants;
        _refusals = meters.Create(MeterName).CreateCounter<long>("millwright.quota.refusals", description: "Requests refused because a quota was reached, by quota and tenant");
    }

    /// <param name="quota">A short, fixed name of the quota (e.g. <c>machines</c>, <c>api_rate</c>); never user input.</param>
    public void Add(string quota, long tenant) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("quota", quota), _tenants.For(tenant));
}
