using System.Globalization;
using System.Threading.Channels;
using Dapper;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Modbus;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Modbus;

/// <summary>
/// Runs one <see cref="ModbusPoller"/> per machine with a Modbus connection in the registry, across tenants,
/// and keeps the set in step with the registry (on every change made here, and every 30 s for changes
/// made by another node); in a cluster, only for the machines this node owns (<see cref="PollerSync"/>).
/// Readings become <see cref="DeviceMessage"/>s, less the registers of a command map's answer, which go to <see cref="ModbusAnswers"/>; link states go to <see cref="MachineConnectivity"/>.
/// </summary>
internal sealed partial class ModbusPolling(
    IDatabase database, TelemetryPipeline pipeline, MachineConnectivity connectivity, EgressPolicy egress, ModbusAnswers answers, TimeProvider clock,
    ILogger<ModbusPolling> logger, IMachineOwnership? ownership = null)
    : BackgroundService
{
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(long Tenant, long Machine), (long UpdatedAt, CancellationTokenSource Stop, Task Run)> _running = [];
    private readonly Channel<ModbusReading> _readings = Channel.CreateBounded<ModbusReading>(1000);
    private readonly Channel<ModbusStatus> _statuses = Channel.CreateBounded<ModbusStatus>(1000);
    private readonly SemaphoreSlim _refresh = new(0, 1);

    public int Running => _running.Count;

    /// <summary>Asks for a resync soon; repeated calls before it runs count once.</summary>
    public void Refresh()
    {
        try
        {
            _refresh.Release();
        }
        catch (SemaphoreFullException)
        {
            // A resync is already due.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumers = Task.WhenAll(ConsumeReadingsAsync(stoppingToken), ConsumeStatusesAsync(stoppingToken));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var seen = ownership?.Version ?? 0;
                await SyncAsync(stoppingToken);
                await PollerSync.WaitAsync(_refresh, ResyncInterval, ownership, seen, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var (_, stop, _) in _running.Values)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(_running.Values.Select(r => r.Run)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await consumers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        List<ModbusConnectionRow> rows;
        try
        {
            await using var connection = await database.OpenAsync(ct);
            rows = (await connection.QueryAsync<ModbusConnectionRow>(new CommandDefinition(
                """
                SELECT c.tenant_id, c.machine_id, c.host, c.port, c.unit_id, c.interval_ms, c.timeout_ms, c.points, c.commands, c.updated_at, m.name AS machine_name
                FROM modbus_connections c JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
                """,
                cancellationToken: ct))).AsList();
        }
        catch (Exception e) when (LoopFaults.Survives(e, ct))
        {
            return; // The store is down for a moment; the pollers keep what they have.
        }

        var wanted = rows.Where(r => PollerSync.Polls(ownership, r.MachineId)).ToDictionary(r => (r.TenantId, r.MachineId));
        foreach (var (key, running) in _running.ToList())
        {
            if (!wanted.TryGetValue(key, out var row) || row.UpdatedAt != running.UpdatedAt)
            {
                await running.Stop.CancelAsync();
                await running.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                running.Stop.Dispose();
                _running.Remove(key);
                connectivity.Forget(key.Tenant, key.Machine);
                answers.Forget(key.Tenant, key.Machine);
            }
        }

        foreach (var (key, row) in wanted)
        {
            if (!_running.ContainsKey(key))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var tenant = key.TenantId;
                answers.Track(tenant, key.MachineId, row.MachineName, ModbusConnections.CommandMap(row));
                var poller = new ModbusPoller(ModbusConnections.ToMachine(row), _readings.Writer, _statuses.Writer, clock,
                    connector: (host, port, token) => ConnectAsync(tenant, host, port, token));
                _running[key] = (row.UpdatedAt, stop, Task.Run(() => poller.RunAsync(stop.Token), CancellationToken.None));
            }
        }
    }

    private async Task ConsumeReadingsAsync(CancellationToken ct)
    {
        await foreach (var reading in _readings.Reader.ReadAllAsync(ct))
        {
            var (tenant, machine) = ParseKey(reading.MachineKey);
            var at = reading.Timestamp.ToUnixTimeMilliseconds();
            // Answer registers are the command channel, not the machine's data.
            var values = answers.Split(tenant, machine, reading.Values).Select(v => new Reading(v.Key, at, TagValue.Of(v.Value))).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            // Not waited for: a poll has nothing to acknowledge, and waiting for room already slows the poller.
            var admission = await pipeline.AdmitAsync(new DeviceMessage(tenant, machine, "modbus", reading.Timestamp, values), null, ct);
            if (admission.Refusal is { } refusal)
            {
                LogRefused(logger, machine, refusal);
            }
        }
    }

    private async Task ConsumeStatusesAsync(CancellationToken ct)
    {
        await foreach (var status in _statuses.Reader.ReadAllAsync(ct))
        {
            var (tenant, machine) = ParseKey(status.MachineKey);
            var online = status.Health == ModbusHealth.Online;
            var retry = status.RetryIn is { } wait ? $"; retrying in {wait.TotalSeconds:0.#} s (attempt {status.ConsecutiveFailures + 1})" : "";
            connectivity.Set(tenant, machine, new ConnectionState(online, status.Timestamp, "modbus",
                online ? null : $"{status.Health}: {TenantDetail(machine, status)}{retry}", status.Timestamp + status.RetryIn,
                status.RetryIn is null ? null : status.ConsecutiveFailures + 1));
        }
    }

    /// <summary>
    /// What the tenant is told. A protocol error's own message quotes the peer's bytes (an MBAP protocol id of 21584
    /// is "HT" of an HTTP answer), which would let a tenant read other services through the poller; the operator
    /// finds the detail in the log.
    /// </summary>
    private string? TenantDetail(long machine, ModbusStatus status)
    {
        if (status.Health != ModbusHealth.ProtocolError)
        {
            return status.Detail;
        }

        LogProtocolError(logger, machine, status.Detail);
        return "not a Modbus TCP server (its answer broke the Modbus TCP framing)";
    }

    private async Task<System.Net.Sockets.Socket> ConnectAsync(long tenant, string host, int port, CancellationToken ct)
    {
        try
        {
            return await egress.ConnectAsync(tenant, host, port, ct);
        }
        catch (EgressDeniedException e)
        {
            throw new ModbusConnectionDeniedException(e.Message, e);
        }
    }

    private static (long Tenant, long Machine) ParseKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (long.Parse(key.AsSpan(0, slash), CultureInfo.InvariantCulture), long.Parse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }

    public override void Dispose()
    {
        _refresh.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine}: Modbus protocol error: {Detail}")]
    private static partial void LogProtocolError(ILogger logger, long machine, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {Machine}: polled Modbus values refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, long machine, string reason);
}
