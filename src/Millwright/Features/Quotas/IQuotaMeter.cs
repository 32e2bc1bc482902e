namespace Millwright.Features.Quotas;

/// <summary>
/// What a feature holding live state reports of a tenant's use (the broker's connections, the store's series),
/// so that the quota list can show it without this low-level feature knowing those features.
/// </summary>
internal interface IQuotaMeter
{
    /// <summary>The tenant's current use, by quota name.</summary>
    IEnumerable<KeyValuePair<string, long>> UseOf(long tenantId);
}
