using System.Security.Cryptography;
using System.Text;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Self-registration of external participants: a tenant admin issues an invitation (a secret token, good for a
/// number of registrations until it expires or is revoked; only its SHA-256 is stored), hands it out (a link in a
/// newsletter, a QR code at a fair), and whoever holds it registers themselves and gets a participant key: the
/// makerspace and nothing else, exactly as a participant an admin registered.
/// </summary>
internal static class Invitations
{
    private const string Columns = "id, note, uses, used, expires_at, revoked_at, created_at, created_by";

    public static async Task<IssuedInvitation> IssueAsync(Session s, InvitationInput input)
    {
        var v = new Validator();
        var note = Makerspace.Text(v, "note", input.Note, 200, required: false);
        var uses = input.Uses ?? 1;
        var days = input.ExpiresInDays ?? 14;
        if (uses is < 1 or > 10_000)
        {
            v.Add("uses", "from 1 to 10000 registrations");
        }

        if (days is < 1 or > 365)
        {
            v.Add("expiresInDays", "from 1 to 365 days");
        }

        v.ThrowIfInvalid();
        var token = "mwi_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO makerspace_invitations (tenant_id, token_hash, note, uses, expires_at, created_at, created_by)
            VALUES (@Tenant, @hash, @note, @uses, @expires, @Now, @Actor) RETURNING id
            """,
            new { s.Tenant, hash = Hash(token), note, uses, expires = s.Now + days * 86_400_000L, s.Now, s.Caller.Actor });
        await s.AuditAsync("create", "makerspace_invitation", id, $"issued an invitation for {uses} external participant(s), valid {days} days");
        return new IssuedInvitation(await GetAsync(s, id), token);
    }

    public static async Task<IReadOnlyList<InvitationDto>> ListAsync(Session s) =>
        (await s.QueryAsync<InvitationRow>($"SELECT {Columns} FROM makerspace_invitations WHERE tenant_id = @Tenant ORDER BY id DESC LIMIT 200", new { s.Tenant }))
            .Select(r => r.AsDto()).ToList();

    public static async Task<InvitationDto> RevokeAsync(Session s, long id)
    {
        await GetAsync(s, id);
        await s.ExecuteAsync("UPDATE makerspace_invitations SET revoked_at = @Now WHERE tenant_id = @Tenant AND id = @id AND revoked_at IS NULL", new { s.Now, s.Tenant, id });
        await s.AuditAsync("revoke", "makerspace_invitation", id, "revoked an invitation for external participants");
        return await GetAsync(s, id);
    }

    /// <summary>
    /// Registers the holder of <paramref name="input"/>'s invitation in the tenant that issued it: one use of the
    /// invitation and the participant's key in one transaction (a refused registration uses nothing up).
    /// </summary>
    public static async Task<RegisteredParticipant> RegisterAsync(Sessions sessions, SelfRegistration input, RegistrationRates rates, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(input.Invitation) || !input.Invitation.StartsWith("mwi_", StringComparison.Ordinal) || input.Invitation.Length > 100)
        {
            throw ApiProblem.Invalid("invitation", "the invitation token (mwi_...) is required");
        }

        // The token names its tenant only through its hash: look it up across tenants, as a key is verified.
        var hash = Hash(input.Invitation);
        var found = await sessions.RunAsync(Caller.CommandLine(null), s => s.QueryOneAsync<InvitationTenant>(
            "SELECT id, tenant_id FROM makerspace_invitations WHERE token_hash = @hash", new { hash }), ct);
        if (found is null)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", "There is no such invitation.");
        }

        if (rates.TakeInvitation(found.TenantId, found.Id) is { } wait)
        {
            throw RegistrationRates.TooMany("register-rate-invitation", "with this invitation", wait);
        }

        var caller = new Caller(0, $"invitation {found.Id}", found.TenantId, Role.TenantAdmin);
        return await sessions.RunAsync(caller, async s =>
        {
            var taken = await s.ExecuteAsync(
                """
                UPDATE makerspace_invitations SET used = used + 1
                WHERE tenant_id = @Tenant AND id = @Id AND used < uses AND revoked_at IS NULL AND expires_at > @Now
                """,
                new { s.Tenant, found.Id, s.Now });
            if (taken == 0)
            {
                throw new ApiProblem(StatusCodes.Status410Gone, "Gone", "The invitation has expired, was revoked or is used up; ask for a new one.");
            }

            return await Participants.RegisterAsync(s, new ParticipantInput(input.Name, input.Email));
        }, ct);
    }

    private static async Task<InvitationDto> GetAsync(Session s, long id) =>
        (await s.QueryOneAsync<InvitationRow>($"SELECT {Columns} FROM makerspace_invitations WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id }))?.AsDto()
        ?? throw ApiProblem.NotFound("invitation", id);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class InvitationTenant
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
    }

    private sealed class InvitationRow
    {
        public long Id { get; set; }
        public string Note { get; set; } = "";
        public long Uses { get; set; }
        public long Used { get; set; }
        public long ExpiresAt { get; set; }
        public long? RevokedAt { get; set; }
        public long CreatedAt { get; set; }
        public string CreatedBy { get; set; } = "";

        public InvitationDto AsDto() => new(Id, Note, Uses, Used, DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAt),
            RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy);
    }
}
