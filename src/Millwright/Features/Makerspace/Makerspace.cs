using System.Globalization;
using Millwright.Api;
using Millwright.Security;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Who may do what in a tenant's makerspace. Members read with any tenant key and contribute with an operator
/// or admin key; external participants (role participant) read and contribute only while the tenant keeps the
/// makerspace open; tenant admins moderate. A banned key may still read but no longer contribute.
/// </summary>
internal static class Makerspace
{
    public static bool IsModerator(Caller caller) => caller.Role == Role.TenantAdmin;

    public static Author AuthorOf(Caller caller) => new(caller.KeyId, caller.KeyName, caller.Role == Role.Participant);

    /// <summary>Fails with 403 when an external participant arrives while the makerspace is closed to them.</summary>
    public static async Task EnterAsync(Session s)
    {
        if (s.Caller.Role != Role.Participant)
        {
            return;
        }

        if (!await IsOpenAsync(s))
        {
            throw ApiProblem.Forbidden("This makerspace is closed to external participants.");
        }
    }

    /// <summary><see cref="EnterAsync"/>, then fails with 403 when the caller's key is banned from contributing.</summary>
    public static async Task EnsureMayContributeAsync(Session s)
    {
        await EnterAsync(s);
        var reason = await s.QueryOneAsync<string>(
            "SELECT reason FROM makerspace_bans WHERE tenant_id = @Tenant AND key_id = @KeyId", new { s.Tenant, s.Caller.KeyId });
        if (reason is not null)
        {
            throw ApiProblem.Forbidden($"This key is banned from contributing to the makerspace: {reason}");
        }
    }

    public static async Task<bool> IsOpenAsync(Session s) =>
        await s.ScalarAsync<long?>("SELECT open_to_external FROM makerspace_settings WHERE tenant_id = @Tenant", new { s.Tenant }) == 1;

    public static async Task<SettingsDto> SetOpenAsync(Session s, SettingsInput input)
    {
        if (input.OpenToExternal is not { } open)
        {
            throw ApiProblem.Invalid("openToExternal", "is required (true or false)");
        }

        var value = open ? 1L : 0L;
        var changed = await s.ExecuteAsync(
            "UPDATE makerspace_settings SET open_to_external = @value, updated_at = @Now WHERE tenant_id = @Tenant", new { value, s.Now, s.Tenant });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                "INSERT INTO makerspace_settings (tenant_id, open_to_external, updated_at) VALUES (@Tenant, @value, @Now)", new { value, s.Now, s.Tenant });
        }

        await s.AuditAsync("update", "makerspace", null, open ? "opened the makerspace to external participants" : "closed the makerspace to external participants");
        return new SettingsDto(open);
    }

    /// <summary>Ids written into an <c>IN (...)</c> list: numbers only, so nothing to inject, and one SQL for both stores (Npgsql binds a list as an array).</summary>
    public static string IdList(IEnumerable<long> ids) => string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Trimmed free text of at most <paramref name="max"/> characters; line breaks and tabs are allowed, other control characters not.</summary>
    public static string Text(Validator v, string field, string? value, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return "";
        }

        var trimmed = value.Trim();
        if (trimmed.Length > max)
        {
            v.Add(field, $"must be at most {max} characters");
        }

        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            v.Add(field, "must not contain control characters other than line breaks and tabs");
        }

        return trimmed;
    }
}
