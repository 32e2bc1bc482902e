using System.Collections.Concurrent;
using System.Globalization;

namespace Millwright.Features.Metrics;

/// <summary>
/// The <c>tenant</c> label of per-tenant metrics, with bounded cardinality: the first <see cref="Capacity"/> tenants
/// this process sees get their id as label, every later one shares <c>other</c>. A Prometheus series costs memory in
/// the platform and in Prometheus for as long as it lives, so a park of many small tenants must not multiply them.
/// </summary>
internal sealed class TenantLabels
{
    public const int Capacity = 100;
    public const string Other = "other";

    private readonly ConcurrentDictionary<long, string> _labels = new();

    public KeyValuePair<string, object?> For(long tenant)
    {
        if (!_labels.TryGetValue(tenant, out var label))
        {
            // Concurrent first sightings may pass the bound by a few; it stays bounded by capacity plus threads.
            label = _labels.Count >= Capacity ? Other : _labels.GetOrAdd(tenant, t => t.ToString(CultureInfo.InvariantCulture));
        }

        return new KeyValuePair<string, object?>("tenant", label);
    }
}
