using System.Collections.Concurrent;
using Dapper;
using Millwright.Api;
using Millwright.Features.MachineTypes;
using Millwright.Storage;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The schema of every machine that reports, cached: telemetry arrives many times a second per machine, the
/// registry changes rarely. Any committed registry change makes every entry stale (<see cref="RegistryChanges"/>), so a
/// changed range or policy applies to the very next message.
/// </summary>
internal sealed class MachineSchemas(IDatabase database, RegistryChanges changes)
{
    private readonly ConcurrentDictionary<(long Tenant, long Machine), (long Generation, MachineSchema Schema)> _schemas = new();

    /// <summary>The machine's schema, or null when the machine no longer exists.</summary>
    public async ValueTask<MachineSchema?> GetAsync(long tenantId, long machineId, CancellationToken cancellationToken)
    {
        // Read before loading: a change committed during the load leaves an entry already stale.
        var generation = changes.Generation;
        if (_schemas.TryGetValue((tenantId, machineId), out var cached) && cached.Generation == generation)
        {
            return cached.Schema;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Tags, string UnknownTags, string InvalidValues)>(
            new CommandDefinition(
                """
                SELECT t.tags, t.unknown_tags, t.invalid_values FROM machines m
                JOIN machine_types t ON t.tenant_id = m.tenant_id AND t.id = m.type_id
                WHERE m.tenant_id = @tenantId AND m.id = @machineId
                """,
                new { tenantId, machineId }, cancellationToken: cancellationToken));
        if (row.Tags is null)
        {
            return null;
        }

        var schema = new MachineSchema(
            TagJson.Parse(row.Tags).ToDictionary(t => t.Name, StringComparer.Ordinal),
            row.UnknownTags == TelemetryPolicy.Reject,
            row.InvalidValues == TelemetryPolicy.Reject);

        _schemas[(tenantId, machineId)] = (generation, schema);
        return schema;
    }
}
