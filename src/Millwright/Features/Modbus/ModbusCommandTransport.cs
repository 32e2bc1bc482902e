using System.Net.Sockets;
using Dapper;
using Millwright.Features.Connectivity;
using Millwright.Modbus;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Modbus;

/// <summary>
/// Commands to machines polled over Modbus TCP: the machine's command map turns the command into holding register
/// writes (FC 16 for a run of registers, FC 6 for one), its type's code last. A connection of its own, opened through
/// the egress policy like the poller's and closed after the command, so a write never waits behind a poll. The
/// machine's answer is read back by the poller (<see cref="ModbusAnswers"/>).
/// </summary>
internal sealed class ModbusCommandTransport(IDatabase database, EgressPolicy egress, TimeProvider clock) : IMachineCommandTransport
{
    public string Source => MachineCommandPort.Modbus;

    public async ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken)
    {
        ModbusConnectionRow? row;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            row = await connection.QuerySingleOrDefaultAsync<ModbusConnectionRow>(new CommandDefinition(
                """
                SELECT tenant_id, machine_id, host, port, unit_id, interval_ms, timeout_ms, points, commands, updated_at
                FROM modbus_connections WHERE tenant_id = @TenantId AND machine_id = @MachineId
                """,
                new { command.TenantId, command.MachineId }, cancellationToken: cancellationToken));
        }

        if (row is null)
        {
            return CommandReceipt.Refused(Source, $"machine '{command.MachineName}' has no Modbus connection any more");
        }

        if (ModbusConnections.CommandMap(row) is not { } map)
        {
            return CommandReceipt.Refused(Source,
                $"machine '{command.MachineName}' is polled over Modbus TCP without a command map (add 'commands' to PUT /api/v1/machines/{command.MachineId}/modbus)");
        }

        IReadOnlyList<ModbusRegisterWrite> writes;
        string? refusal;
        try
        {
            (writes, refusal) = ModbusCommandMaps.Writes(map, command.Payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            return CommandReceipt.Refused(Source, $"the command is not JSON: {e.Message}");
        }

        if (refusal is not null)
        {
            return CommandReceipt.Refused(Source, refusal);
        }

        var tenant = command.TenantId;
        await using var client = new ModbusTcpClient(row.Host, (int)row.Port, (byte)row.UnitId, TimeSpan.FromMilliseconds(row.TimeoutMs), clock,
            async (host, port, ct) =>
            {
                try
                {
                    return await egress.ConnectAsync(tenant, host, port, ct);
                }
                catch (EgressDeniedException e)
                {
                    throw new ModbusConnectionDeniedException(e.Message, e);
                }
            });
        var written = 0;
        // The connect too is bounded: a host that never answers must not hold the sender (the planner) for minutes.
        var timeout = TimeSpan.FromMilliseconds(row.TimeoutMs) * (writes.Count + 1);
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = clock.CreateTimer(_ => within.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            foreach (var write in writes)
            {
                await (write.Values.Length == 1
                    ? client.WriteSingleRegisterAsync(write.Address, write.Values[0], within.Token)
                    : client.WriteMultipleRegistersAsync(write.Address, write.Values, within.Token));
                written++;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CommandReceipt.Refused(Source, $"machine '{command.MachineName}' did not take the command within {timeout.TotalSeconds:0.#} s over Modbus TCP");
        }
        catch (ModbusDeviceException e)
        {
            return CommandReceipt.Refused(Source, $"machine '{command.MachineName}' refused the write to register {writes[written].Address}: {e.Message}");
        }
        catch (Exception e) when (e is TimeoutException or IOException or SocketException or ModbusProtocolException or ModbusConnectionDeniedException)
        {
            return CommandReceipt.Refused(Source, $"machine '{command.MachineName}' could not be written over Modbus TCP: {e.Message}");
        }

        return CommandReceipt.SentTo(Source, $"modbus://{row.Host}:{row.Port}/{row.UnitId}/{map.CommandRegister}");
    }
}
