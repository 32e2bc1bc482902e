using System.Net.Mail;
using Millwright.Api;
using Millwright.Features.ApiKeys;

namespace Millwright.Features.Makerspace;

/// <summary>
/// External participants: people outside the tenant whom its admins register while the makerspace is open.
/// Each gets a key of role participant, which opens the tenant's makerspace and nothing else (no other route's
/// policy names that role, and the MQTT and live-feed logins refuse it); closing the makerspace shuts them out.
/// </summary>
internal static class Participants
{
    private const string Columns = "p.id, p.tenant_id, p.key_id, p.name, p.email, p.created_at";

    public static async Task<RegisteredParticipant> RegisterAsync(Session s, ParticipantInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        var email = (input.Email ?? "").Trim().ToLowerInvariant();
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            v.Add("email", "must be an e-mail address");
        }

        v.ThrowIfInvalid();
        if (!await Makerspace.IsOpenAsync(s))
        {
            throw ApiProblem.Conflict("The makerspace is closed to external participants; open it first (PUT /api/v1/makerspace/settings).");
        }

        if (await s.ScalarAsync<long>("SELECT COUNT(*) FROM makerspace_participants WHERE tenant_id = @Tenant AND email = @email", new { s.Tenant, email }) > 0)
        {
            throw ApiProblem.Conflict($"A participant with e-mail '{email}' is already registered.");
        }

        var key = await ApiKeys.ApiKeys.CreateParticipantKeyAsync(s, s.Tenant, name);
        var id = await s.ScalarAsync<long>(
            "INSERT INTO makerspace_participants (tenant_id, key_id, name, email, created_at) VALUES (@Tenant, @keyId, @name, @email, @Now) RETURNING id",
            new { s.Tenant, keyId = key.Id, name, email, s.Now });
        await s.AuditAsync("create", "makerspace_participant", id, $"registered external participant '{name}' with key {key.Id}");
        return new RegisteredParticipant(await GetAsync(s, id), key.Key);
    }

    public static async Task<IReadOnlyList<ParticipantDto>> ListAsync(Session s) =>
        (await s.QueryAsync<ParticipantRow>(
            $"SELECT {Columns} FROM makerspace_participants p JOIN api_keys k ON k.id = p.key_id WHERE p.tenant_id = @Tenant AND k.revoked_at IS NULL ORDER BY p.id",
            new { s.Tenant })).Select(r => r.AsDto()).ToList();

    public static async Task<ParticipantDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<ParticipantRow>($"SELECT {Columns} FROM makerspace_participants p WHERE p.tenant_id = @Tenant AND p.id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("participant", id);

    /// <summary>Revokes the participant's key; what they contributed stays, credited to them.</summary>
    public static async Task RemoveAsync(Session s, long id)
    {
        var participant = await GetAsync(s, id);
        await ApiKeys.ApiKeys.RevokeAsync(s, s.Tenant, participant.KeyId);
        await s.AuditAsync("delete", "makerspace_participant", id, $"removed external participant '{participant.Name}'");
    }

    private sealed class ParticipantRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long KeyId { get; set; }
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";
        public long CreatedAt { get; set; }

        public ParticipantDto AsDto() => new(Id, TenantId, KeyId, Name, Email, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }
}
