namespace Millwright.Features.Erp;

/// <summary>The ERP's endpoint as a tenant admin sends it; on replace, a null secret keeps the stored one.</summary>
internal sealed record ErpWebhookInput(string? Url, string? Secret, bool? Enabled);

/// <summary>The secret is write-only: never returned. Orders completed from <see cref="Since"/> on are sent.</summary>
internal sealed record ErpWebhookDto(string Url, bool Enabled, DateTimeOffset Since, DateTimeOffset UpdatedAt);

internal sealed record ErpDeliveryDto(long Id, long OrderId, string Order, string Outcome, int Attempts, int? StatusCode, string? Error, DateTimeOffset? NextAt, DateTimeOffset UpdatedAt);
