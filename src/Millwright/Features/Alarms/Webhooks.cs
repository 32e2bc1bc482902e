using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>A tenant's webhooks: where alarm transitions of chosen severities are POSTed, signed with the webhook's secret.</summary>
internal sealed class Webhooks(WebhookGuard guard)
{
    private const string Columns = "id, tenant_id, name, url, secret, severities, enabled, created_at, updated_at";
    private const int SecretMin = 16;
    private const int SecretMax = 200;

    public CrudOperations<WebhookInput, WebhookDto, WebhookQuery> Operations => new(ListAsync, GetAsync, CreateAsync, UpdateAsync, DeleteAsync);

    public static async Task<Page<WebhookDto>> ListAsync(Session s, WebhookQuery query, PageRequest page)
    {
        var rows = await s.QueryAsync<WebhookRow>(
            $"SELECT {Columns} FROM webhooks WHERE tenant_id = @Tenant AND id > @After ORDER BY id LIMIT @Take",
            new { s.Tenant, page.After, Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<WebhookDto> GetAsync(Session s, long id) => (await FindAsync(s, id)).AsDto();

    /// <summary>The enabled webhooks of the session's tenant that want alarms of <paramref name="severity"/>.</summary>
    public static async Task<IReadOnlyList<WebhookRow>> ForSeverityAsync(Session s, string severity) =>
        (await s.QueryAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE tenant_id = @Tenant AND enabled = TRUE ORDER BY id", new { s.Tenant }))
            .Where(w => w.Severities.Split(',').Contains(severity)).ToList();

    public static async Task<IReadOnlyList<WebhookDeliveryDto>> DeliveriesAsync(Session s, long id, PageRequest page)
    {
        await FindAsync(s, id);
        var rows = await s.QueryAsync<WebhookDeliveryRow>(
            """
            SELECT id, event_id, alarm_id, attempt, at, status_code, error, outcome FROM webhook_deliveries
            WHERE tenant_id = @Tenant AND webhook_id = @id AND id > @After ORDER BY id LIMIT @Limit
            """,
            new { s.Tenant, id, page.After, page.Limit });
        return rows.Select(r => r.AsDto()).ToList();
    }

    private async Task<WebhookDto> CreateAsync(Session s, WebhookInput input)
    {
        var (name, url, secret, severities, enabled) = Validate(input, secretRequired: true);
        await CheckEgressAsync(s, url);
        await Quota.EnsureRoomAsync(s, s.Tenant, "webhooks", s.Quotas.Webhooks, "SELECT COUNT(*) FROM webhooks WHERE tenant_id = @Tenant");
        var id = await s.GuardAsync(
            () => s.ScalarAsync<long>(
                """
                INSERT INTO webhooks (tenant_id, name, url, secret, severities, enabled, created_at, updated_at)
                VALUES (@Tenant, @name, @url, @secret, @severities, @enabled, @Now, @Now) RETURNING id
                """,
                new { s.Tenant, name, url, secret, severities, enabled, s.Now }),
            $"A webhook named '{name}' already exists.");
        await s.AuditAsync("create", "webhook", id, $"created webhook '{name}' to {url} for {severities}");
        return await GetAsync(s, id);
    }

    private async Task<WebhookDto> UpdateAsync(Session s, long id, WebhookInput input)
    {
        var (name, url, secret, severities, enabled) = Validate(input, secretRequired: false);
        await CheckEgressAsync(s, url);
        var current = await FindAsync(s, id);
        await s.GuardAsync(
            () => s.ExecuteAsync(
                "UPDATE webhooks SET name = @name, url = @url, secret = @secret, severities = @severities, enabled = @enabled, updated_at = @Now WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, id, name, url, secret = secret ?? current.Secret, severities, enabled, s.Now }),
            $"A webhook named '{name}' already exists.");
        await s.AuditAsync("update", "webhook", id, $"updated webhook '{name}' to {url}" + (secret is null ? "" : " with a new secret"));
        return await GetAsync(s, id);
    }

    private static async Task DeleteAsync(Session s, long id)
    {
        var webhook = await FindAsync(s, id);
        await s.ExecuteAsync("DELETE FROM webhooks WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "webhook", id, $"deleted webhook '{webhook.Name}'");
    }

    private static async Task<WebhookRow> FindAsync(Session s, long id) =>
        await s.QueryOneAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
        ?? throw ApiProblem.NotFound("webhook", id);

    private async Task CheckEgressAsync(Session s, string url)
    {
        if (await guard.RefuseAddressAsync(s.Tenant, url, CancellationToken.None) is { } refusal)
        {
            throw ApiProblem.Invalid("url", refusal);
        }
    }

    private static (string Name, string Url, string? Secret, string Severities, bool Enabled) Validate(WebhookInput input, bool secretRequired)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        if (WebhookGuard.RefuseShape(input.Url) is { } refusal)
        {
            v.Add("url", refusal);
        }

        if (input.Secret is null ? secretRequired : input.Secret.Length is < SecretMin or > SecretMax || input.Secret.Any(char.IsControl))
        {
            v.Add("secret", $"{(secretRequired ? "is required and " : "")}must be {SecretMin}-{SecretMax} characters without control characters");
        }

        var severities = input.Severities ?? AlarmVocabulary.Severities;
        if (severities.Count == 0 || severities.Any(x => !AlarmVocabulary.Severities.Contains(x)))
        {
            v.Add("severities", $"must be a non-empty list of {string.Join(", ", AlarmVocabulary.Severities)}");
        }

        v.ThrowIfInvalid();
        return (name, input.Url!, input.Secret, string.Join(',', AlarmVocabulary.Severities.Where(severities.Contains)), input.Enabled ?? true);
    }
}
