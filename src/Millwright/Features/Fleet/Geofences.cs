using Millwright.Fleet;
using Millwright.Api;

namespace Millwright.Features.Fleet;

/// <summary>The fleet_geofences, fleet_allowed_areas and fleet_geofence_events tables, always within the caller's tenant.</summary>
internal static class Geofences
{
    public const int EventLimit = 10_000;

    private const string Columns =
        "id AS Id, name AS Name, kind AS Kind, geometry AS Geometry, time_zone AS TimeZone, work_from AS WorkFrom, work_to AS WorkTo, work_days AS WorkDays, updated_at AS UpdatedAt";

    public static Task<IReadOnlyList<GeofenceRow>> ListAsync(Session s) =>
        s.QueryAsync<GeofenceRow>($"SELECT {Columns} FROM fleet_geofences WHERE tenant_id = @Tenant ORDER BY id", new { s.Tenant });

    public static async Task<GeofenceRow> GetAsync(Session s, long id) =>
        await s.QueryOneAsync<GeofenceRow>($"SELECT {Columns} FROM fleet_geofences WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id })
        ?? throw ApiProblem.NotFound("geofence", id);

    public static async Task<GeofenceRow> CreateAsync(Session s, GeofenceDefinition d)
    {
        var id = await s.GuardAsync(() => s.ScalarAsync<long>(
            """
            INSERT INTO fleet_geofences (tenant_id, name, kind, geometry, time_zone, work_from, work_to, work_days, created_at, updated_at)
            VALUES (@Tenant, @Name, @Kind, @geometry, @TimeZone, @from, @to, @days, @Now, @Now) RETURNING id
            """,
            Args(s, d)), $"A geofence named '{d.Name}' exists already.");
        await s.AuditAsync("create", "geofence", id, $"geofence '{d.Name}' ({d.Kind})");
        return await GetAsync(s, id);
    }

    public static async Task<GeofenceRow> UpdateAsync(Session s, long id, GeofenceDefinition d)
    {
        await GetAsync(s, id);
        var args = new Dapper.DynamicParameters(Args(s, d));
        args.Add("id", id);
        await s.GuardAsync(() => s.ExecuteAsync(
            """
            UPDATE fleet_geofences SET name = @Name, kind = @Kind, geometry = @geometry, time_zone = @TimeZone,
                   work_from = @from, work_to = @to, work_days = @days, updated_at = @Now
            WHERE tenant_id = @Tenant AND id = @id
            """, args), $"A geofence named '{d.Name}' exists already.");
        await s.AuditAsync("update", "geofence", id, $"geofence '{d.Name}' ({d.Kind})");
        return await GetAsync(s, id);
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var row = await GetAsync(s, id);
        await s.ExecuteAsync("DELETE FROM fleet_geofence_events WHERE tenant_id = @Tenant AND geofence_id = @id", new { s.Tenant, id });
        await s.ExecuteAsync("DELETE FROM fleet_allowed_areas WHERE tenant_id = @Tenant AND geofence_id = @id", new { s.Tenant, id });
        await s.ExecuteAsync("DELETE FROM fleet_geofences WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id });
        await s.AuditAsync("delete", "geofence", id, $"geofence '{row.Name}' deleted with its events");
    }

    public static async Task<AllowedAreasDto> GetAllowedAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        var ids = await s.QueryAsync<long>(
            "SELECT geofence_id FROM fleet_allowed_areas WHERE tenant_id = @Tenant AND machine_id = @machineId ORDER BY geofence_id", new { s.Tenant, machineId });
        return new AllowedAreasDto(machineId, ids);
    }

    public static async Task<AllowedAreasDto> PutAllowedAsync(Session s, long machineId, AllowedAreasInput input)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var ids = (input.GeofenceIds ?? []).Distinct().Order().ToList();
        if (ids.Count > 100)
        {
            throw ApiProblem.Invalid("geofenceIds", "at most 100 geofences");
        }

        foreach (var id in ids)
        {
            await s.RequireReferenceAsync("fleet_geofences", "geofenceIds", "geofence", id);
        }

        await s.ExecuteAsync("DELETE FROM fleet_allowed_areas WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        foreach (var id in ids)
        {
            await s.ExecuteAsync("INSERT INTO fleet_allowed_areas (tenant_id, machine_id, geofence_id) VALUES (@Tenant, @machineId, @id)", new { s.Tenant, machineId, id });
        }

        await s.AuditAsync("update", "allowed-areas", machineId, ids.Count == 0
            ? $"machine '{machine.Name}' may go anywhere"
            : $"machine '{machine.Name}' must stay inside geofences {string.Join(", ", ids)}");
        return new AllowedAreasDto(machineId, ids);
    }

    /// <summary>Events in [from, to), oldest first, optionally of one machine or one geofence; at most <see cref="EventLimit"/>.</summary>
    public static async Task<IReadOnlyList<GeofenceEventDto>> EventsAsync(Session s, long? machineId, long? geofenceId, TimeRange range)
    {
        if (machineId is { } m)
        {
            await Machines.Machines.GetAsync(s, m);
        }

        if (geofenceId is { } g)
        {
            await GetAsync(s, g);
        }

        var rows = await s.QueryAsync<GeofenceEventRow>(
            """
            SELECT e.id AS Id, e.machine_id AS MachineId, m.name AS MachineName, e.geofence_id AS GeofenceId, g.name AS GeofenceName,
                   e.kind AS Kind, e.at AS At, e.latitude AS Latitude, e.longitude AS Longitude
            FROM fleet_geofence_events e
            JOIN machines m ON m.tenant_id = e.tenant_id AND m.id = e.machine_id
            JOIN fleet_geofences g ON g.tenant_id = e.tenant_id AND g.id = e.geofence_id
            WHERE e.tenant_id = @Tenant AND e.at >= @From AND e.at < @To
              AND (@machineId IS NULL OR e.machine_id = @machineId) AND (@geofenceId IS NULL OR e.geofence_id = @geofenceId)
            ORDER BY e.at, e.id LIMIT @EventLimit
            """,
            new { s.Tenant, range.From, range.To, machineId, geofenceId, EventLimit });
        return [.. rows.Select(r => r.AsDto())];
    }

    private static object Args(Session s, GeofenceDefinition d) => new
    {
        s.Tenant, d.Name, d.Kind, geometry = GeofenceDocument.GeometryJson(d.Rings), d.TimeZone,
        from = (long?)d.Hours?.FromMinute, to = (long?)d.Hours?.ToMinute, days = (long?)d.Hours?.Days, s.Now,
    };
}
