using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>The fleet_import_sources and fleet_imported_machines tables, within the caller's tenant.</summary>
internal static class ImportSources
{
    public const string Columns =
        """
        id AS Id, tenant_id AS TenantId, name AS Name, url AS Url, username AS Username, password AS Password, line_id AS LineId,
        machine_type_id AS MachineTypeId, interval_s AS IntervalS, timeout_s AS TimeoutS, last_attempt_at AS LastAttemptAt,
        last_success_at AS LastSuccessAt, last_error AS LastError, last_warnings AS LastWarnings, failures AS Failures, machines AS Machines
        """;

    public static Task<IReadOnlyList<ImportSourceRow>> ListAsync(Session s) =>
        s.QueryAsync<ImportSourceRow>($"SELECT {Columns} FROM fleet_import_sources WHERE tenant_id = @Tenant ORDER BY id", new { s.Tenant });

    public static async Task<ImportSourceRow> GetAsync(Session s, long id) =>
        await s.QueryOneAsync<ImportSourceRow>($"SELECT {Columns} FROM fleet_import_sources WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
        ?? throw ApiProblem.NotFound("import source", id);

    /// <summary>Adds a source; its password is stored sealed by <paramref name="box"/>.</summary>
    public static async Task<ImportSourceRow> CreateAsync(Session s, SecretBox box, ImportSourceInput input)
    {
        var v = await ValidateAsync(s, input);
        v = v with { Password = v.Password is { } password ? box.Seal(s.Tenant, password) : null };
        var id = await s.GuardAsync(() => s.ScalarAsync<long>(
            """
            INSERT INTO fleet_import_sources (tenant_id, name, url, username, password, line_id, machine_type_id, interval_s, timeout_s, failures, machines, created_at, updated_at)
            VALUES (@Tenant, @Name, @Url, @Username, @Password, @LineId, @MachineTypeId, @IntervalS, @TimeoutS, 0, 0, @Now, @Now) RETURNING id
            """, Args(s, v)), $"An import source named '{v.Name}' exists already.");
        await s.AuditAsync("create", "import-source", id, $"AEMP import source '{v.Name}' ({v.Url})");
        return await GetAsync(s, id);
    }

    /// <summary>Changes a source; a new password is sealed, a kept one sealed again (a clear one from before sealing gets sealed).</summary>
    public static async Task<ImportSourceRow> UpdateAsync(Session s, SecretBox box, long id, ImportSourceInput input)
    {
        var old = await GetAsync(s, id);
        var v = await ValidateAsync(s, input);
        var password = v.Password ?? (old.Password is { } kept ? box.Open(s.Tenant, kept) : null);
        var args = new Dapper.DynamicParameters(Args(s, v with { Password = password is null ? null : box.Seal(s.Tenant, password) }));
        args.Add("id", id);
        await s.GuardAsync(() => s.ExecuteAsync(
            """
            UPDATE fleet_import_sources SET name = @Name, url = @Url, username = @Username, password = @Password, line_id = @LineId,
                   machine_type_id = @MachineTypeId, interval_s = @IntervalS, timeout_s = @TimeoutS, updated_at = @Now
            WHERE tenant_id = @Tenant AND id = @id
            """, args), $"An import source named '{v.Name}' exists already.");
        await s.AuditAsync("update", "import-source", id, $"AEMP import source '{v.Name}' ({v.Url})");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var row = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM fleet_imported_machines WHERE tenant_id = @Tenant AND source_id = @id", new { s.Tenant, id });
        await s.ExecuteAsync("DELETE FROM fleet_import_sources WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "import-source", id, $"AEMP import source '{row.Name}' deleted; its machines stay");
    }

    /// <summary>Records a poll's outcome; a failure keeps every machine's values as they were.</summary>
    public static Task RecordAsync(Session s, long id, string? error, IReadOnlyList<string> warnings, long machines) =>
        error is null
            ? s.ExecuteAsync(
                "UPDATE fleet_import_sources SET last_attempt_at = @Now, last_success_at = @Now, last_error = NULL, last_warnings = @warnings, failures = 0, machines = @machines WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, s.Now, id, machines, warnings = warnings.Count == 0 ? null : string.Join('\n', warnings) })
            : s.ExecuteAsync(
                "UPDATE fleet_import_sources SET last_attempt_at = @Now, last_error = @error, failures = failures + 1 WHERE tenant_id = @Tenant AND id = @id",
                new { s.Tenant, s.Now, id, error });

    private static async Task<ImportSourceInput> ValidateAsync(Session s, ImportSourceInput input)
    {
        var v = new Validator();
        var name = v.Name("name", input.Name);
        if (WebhookGuard.RefuseShape(input.Url) is { } refused)
        {
            v.Add("url", refused);
        }

        if (input.Username is { Length: > 200 } || input.Password is { Length: > 500 })
        {
            v.Add("username", "at most 200 characters, the password at most 500");
        }

        var interval = input.IntervalSeconds ?? 300;
        if (interval != 0 && interval is < 10 or > 86_400)
        {
            v.Add("intervalSeconds", "must be 0 (poll on request only) or 10 to 86400");
        }

        var timeout = input.TimeoutSeconds ?? 30;
        if (timeout is < 1 or > 120)
        {
            v.Add("timeoutSeconds", "must be 1 to 120");
        }

        var line = v.Id("lineId", input.LineId);
        var type = v.Id("machineTypeId", input.MachineTypeId);
        v.ThrowIfInvalid();
        await s.RequireReferenceAsync("lines", "lineId", "line", line);
        await s.RequireReferenceAsync("machine_types", "machineTypeId", "machine type", type);
        return new ImportSourceInput(name, input.Url!.Trim(), string.IsNullOrEmpty(input.Username) ? null : input.Username, input.Password, line, type, interval, timeout);
    }

    private static object Args(Session s, ImportSourceInput v) => new
    {
        s.Tenant, v.Name, v.Url, v.Username, v.Password, v.LineId, v.MachineTypeId, IntervalS = (long)v.IntervalSeconds!.Value, TimeoutS = (long)v.TimeoutSeconds!.Value, s.Now,
    };
}
