namespace Millwright.Features.Quotas;

/// <summary>One quota: its limit, what the tenant uses now (null where no single figure exists), and what it counts.</summary>
internal sealed record QuotaDto(string Name, long Limit, long? Used, string Counts);
