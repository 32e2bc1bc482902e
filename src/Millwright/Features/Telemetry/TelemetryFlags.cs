using Dapper;
using Millwright.Storage;

namespace Millwright.Features.Telemetry;

/// <summary>Counts flagged values per machine, tag and reason, keeping the latest example (table telemetry_flags).</summary>
internal sealed class TelemetryFlags(IDatabase database)
{
    public async Task RecordAsync(IReadOnlyList<(long Tenant, long Machine, TelemetryFlag Flag)> flags, CancellationToken cancellationToken)
    {
        // Summed first: a burst of one bad tag is one row update, not one per message.
        var rows = flags
            .GroupBy(f => (f.Tenant, f.Machine, f.Flag.Tag, f.Flag.Reason))
            .Select(g =>
            {
                var last = g.MaxBy(f => f.Flag.At).Flag;
                return new
                {
                    g.Key.Tenant, g.Key.Machine, g.Key.Tag, g.Key.Reason, Count = (long)g.Count(),
                    First = g.Min(f => f.Flag.At), Last = last.At, Value = last.Value,
                };
            })
            .ToList();
        using var turn = await database.WriterTurnAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO telemetry_flags (tenant_id, machine_id, tag, reason, count, first_at, last_at, last_value)
            SELECT @Tenant, @Machine, @Tag, @Reason, @Count, @First, @Last, @Value
            WHERE EXISTS (SELECT 1 FROM machines WHERE tenant_id = @Tenant AND id = @Machine)
            ON CONFLICT (tenant_id, machine_id, tag, reason) DO UPDATE SET
                count = telemetry_flags.count + excluded.count,
                first_at = CASE WHEN excluded.first_at < telemetry_flags.first_at THEN excluded.first_at ELSE telemetry_flags.first_at END,
                last_value = CASE WHEN excluded.last_at >= telemetry_flags.last_at THEN excluded.last_value ELSE telemetry_flags.last_value END,
                last_at = CASE WHEN excluded.last_at > telemetry_flags.last_at THEN excluded.last_at ELSE telemetry_flags.last_at END
            """,
            rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TelemetryFlagDto>> ListAsync(long tenantId, long machineId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Tag, string Reason, long Count, long FirstAt, long LastAt, string LastValue)>(new CommandDefinition(
            """
            SELECT tag, reason, count, first_at, last_at, last_value FROM telemetry_flags
            WHERE tenant_id = @tenantId AND machine_id = @machineId ORDER BY tag, reason
            """,
            new { tenantId, machineId }, cancellationToken: cancellationToken));
        return rows.Select(r => new TelemetryFlagDto(r.Tag, r.Reason, r.Count,
            DateTimeOffset.FromUnixTimeMilliseconds(r.FirstAt), DateTimeOffset.FromUnixTimeMilliseconds(r.LastAt), r.LastValue)).ToList();
    }
}
