namespace Millwright.Storage.TimeSeries;

/// <summary>
/// One tag of one machine of one tenant. Series are only ever addressed by this key, so a caller that puts its
/// own tenant in it can reach no other tenant's data.
/// </summary>
public readonly record struct SeriesKey(long TenantId, long MachineId, string Tag);
