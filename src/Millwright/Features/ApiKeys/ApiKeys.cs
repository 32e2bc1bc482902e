using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.ApiKeys;

/// <summary>
/// API keys within a scope: a tenant's keys (viewer, operator, tenant admin) or the platform's keys
/// (platform admin). Keys are never deleted, only revoked, so the audit log can always name them.
/// </summary>
internal static class ApiKeys
{
    private const string Columns = "id, tenant_id, name, role, created_by, created_at, revoked_at";
    private const string InScope = "(tenant_id = @scope OR (tenant_id IS NULL AND @scope IS NULL))";

    /// <summary>Longest reason a platform admin may give for minting a tenant's key.</summary>
    public const int ReasonMax = 500;

    public static Task<IssuedApiKey> CreateAsync(Session s, long? scope, ApiKeyInput input) => CreateAsync(s, scope, input, new Validator(), "");

    /// <summary>
    /// The platform admin mints a key for an existing tenant. That is access to the tenant from outside it, so
    /// it must say why, and it is written to the tenant's own audit log (which its admins read) with the
    /// reason and the admin's key id, not only to the platform's.
    /// </summary>
    public static async Task<IssuedApiKey> MintForTenantAsync(Session s, long tenantId, TenantKeyInput input)
    {
        var v = new Validator();
        string reason = "";
        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            v.Add("reason", "is required: say why the platform admin mints a key for this tenant (its admins read it in their audit log)");
        }
        else
        {
            reason = input.Reason.Trim();
            if (reason.Length > ReasonMax)
            {
                v.Add("reason", $"must be at most {ReasonMax} characters");
            }

            if (reason.Any(char.IsControl))
            {
                v.Add("reason", "must not contain control characters");
            }
        }

        await Tenants.Tenants.GetAsync(s, tenantId);
        var admin = s.Caller;
        return await CreateAsync(s.ActingFor(admin with { TenantId = tenantId }), tenantId, new ApiKeyInput(input.Name, input.Role), v,
            $" by platform admin key {admin.KeyId}; reason: {reason}");
    }

    private static async Task<IssuedApiKey> CreateAsync(Session s, long? scope, ApiKeyInput input, Validator v, string auditSuffix)
    {
        var name = v.Name("name", input.Name);
        if (!Roles.TryParse(input.Role, out var role))
        {
            v.Add("role", $"must be one of {Roles.Names}");
        }
        else if ((role == Role.PlatformAdmin) != (scope is null))
        {
            v.Add("role", scope is null ? "platform keys are platform_admin keys" : "a tenant key is viewer, operator or tenant_admin");
        }
        else if (role == Role.Participant && auditSuffix != ParticipantSuffix)
        {
            v.Add("role", "participant keys are issued by registering the participant (POST /api/v1/makerspace/participants)");
        }

        v.ThrowIfInvalid();
        if (scope is { } tenant)
        {
            await Quota.EnsureRoomAsync(s, tenant, "api-keys", s.Quotas.ApiKeys,
                "SELECT COUNT(*) FROM api_keys WHERE tenant_id = @Tenant AND revoked_at IS NULL");
        }

        var (publicId, key) = Secrets.NewApiKey();
        var createdAt = s.Now;
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO api_keys (tenant_id, public_id, name, role, secret_hash, created_at, created_by)
            VALUES (@scope, @publicId, @name, @role, @hash, @createdAt, @Actor) RETURNING id
            """,
            new { scope, publicId, name, role = role.ToWire(), hash = Secrets.HashApiKey(key), createdAt, s.Caller.Actor });
        await s.AuditAsync("create", "api_key", id, $"created {role.ToWire()} key '{name}'" + (scope is { } t && t != s.Caller.TenantId ? $" for tenant {t}" : "") + auditSuffix);
        return new IssuedApiKey(id, scope, name, role.ToWire(), key, DateTimeOffset.FromUnixTimeMilliseconds(createdAt));
    }

    private const string ParticipantSuffix = " for an external participant of the makerspace";

    /// <summary>The key of an outside person admitted to the tenant's makerspace; the makerspace keeps who it is.</summary>
    public static Task<IssuedApiKey> CreateParticipantKeyAsync(Session s, long tenant, string name) =>
        CreateAsync(s, tenant, new ApiKeyInput(name, Role.Participant.ToWire()), new Validator(), ParticipantSuffix);

    public static async Task<Page<ApiKeyDto>> ListAsync(Session s, long? scope, bool includeRevoked, PageRequest page)
    {
        var rows = await s.QueryAsync<ApiKeyRow>(
            $"""
            SELECT {Columns} FROM api_keys
            WHERE {InScope} AND id > @After AND (@includeRevoked OR revoked_at IS NULL)
            ORDER BY id LIMIT @Take
            """,
            new { scope, page.After, includeRevoked, Take = page.Limit + 1 });
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }

    public static async Task<ApiKeyDto> GetAsync(Session s, long? scope, long id) =>
        (await s.QueryOneAsync<ApiKeyRow>($"SELECT {Columns} FROM api_keys WHERE {InScope} AND id = @id", new { scope, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("API key", id);

    public static async Task RevokeAsync(Session s, long? scope, long id)
    {
        var key = await GetAsync(s, scope, id);
        if (key.RevokedAt is not null)
        {
            return;
        }

        if (key.Role == Role.PlatformAdmin.ToWire())
        {
            var others = await s.ScalarAsync<long>(
                "SELECT COUNT(*) FROM api_keys WHERE role = 'platform_admin' AND revoked_at IS NULL AND id <> @id", new { id });
            if (others == 0)
            {
                throw ApiProblem.Conflict("This is the last platform admin key; create another before revoking it.");
            }
        }

        await s.ExecuteAsync("UPDATE api_keys SET revoked_at = @Now WHERE id = @id", new { s.Now, id });
        await s.AuditAsync("revoke", "api_key", id, $"revoked {key.Role} key '{key.Name}'");
        s.AccessChanged(AccessChange.OfApiKey(key.TenantId, id));
    }

    /// <summary>
    /// The first platform admin key, on a store that has none (a new one, or one filled by plant-file
    /// imports); null once one exists. The last one cannot be revoked, so this never reopens the door.
    /// </summary>
    public static async Task<IssuedApiKey?> BootstrapAsync(Session s)
    {
        var any = await s.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE role = 'platform_admin'");
        return any > 0 ? null : await CreateAsync(s, null, new ApiKeyInput("bootstrap platform admin", Role.PlatformAdmin.ToWire()));
    }
}
