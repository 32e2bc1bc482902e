using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>A webhook as a client sends it. The secret is required on create; on replace, null keeps the stored one.</summary>
internal sealed record WebhookInput(string? Name, string? Url, string? Secret, IReadOnlyList<string>? Severities, bool? Enabled);

/// <summary>The secret is write-only: never returned.</summary>
internal sealed record WebhookDto(long Id, string Name, string Url, IReadOnlyList<string> Severities, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

internal sealed record WebhookQuery(int? Limit, long? After) : IListQuery;

internal sealed record WebhookDeliveryDto(long Id, long EventId, long AlarmId, int Attempt, DateTimeOffset At, int? StatusCode, string? Error, string Outcome);

internal sealed class WebhookRow
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string Severities { get; set; } = "";
    public bool Enabled { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public WebhookDto AsDto() => new(Id, Name, Url, Severities.Split(',', StringSplitOptions.RemoveEmptyEntries), Enabled,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}

internal sealed class WebhookDeliveryRow
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public long AlarmId { get; set; }
    public long Attempt { get; set; }
    public long At { get; set; }
    public long? StatusCode { get; set; }
    public string? Error { get; set; }
    public string Outcome { get; set; } = "";

    public WebhookDeliveryDto AsDto() => new(Id, EventId, AlarmId, (int)Attempt, DateTimeOffset.FromUnixTimeMilliseconds(At), (int?)StatusCode, Error, Outcome);
}
