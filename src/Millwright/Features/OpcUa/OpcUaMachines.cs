using System.Collections.Concurrent;
using Dapper;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.OpcUa;
using Millwright.Reconnect;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.OpcUa;

/// <summary>
/// Keeps one OPC UA session with a subscription per machine with an OPC UA connection in the registry, across
/// tenants, in step with the registry (at once on a change made here, every 30 s for another node's). Data changes
/// become <see cref="DeviceMessage"/>s under the mapped tags; the link state (and the nodes the server refused)
/// goes to <see cref="MachineConnectivity"/>. A lost or refused connection, or an endpoint that answers garbage, is
/// tried again under the shared <see cref="ReconnectBackoff"/> (the link state shows the next attempt), so a server
/// restart is followed by a new session and subscription. A machine with a command
/// map also has its answer nodes monitored (<see cref="OpcUaAnswerWatch"/>) and its session lent to
/// <see cref="OpcUaCommandTransport"/> while it is up.
/// </summary>
internal sealed partial class OpcUaMachines(
    IDatabase database, TelemetryPipeline pipeline, MachineConnectivity connectivity, EgressPolicy egress, TimeProvider clock, ILogger<OpcUaMachines> logger,
    Hosting.ServeOptions serveOptions, Connectivity.MachineCommandPort port, IMachineOwnership? ownership = null)
    : BackgroundService
{
    public const string Source = "opcua";
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(long Tenant, long Machine), (long UpdatedAt, CancellationTokenSource Stop, Task Run)> _running = [];
    private readonly SemaphoreSlim _refresh = new(0, 1);
    private readonly ConcurrentDictionary<(long Tenant, long Machine), OpcUaLive> _live = new();
    private readonly ConcurrentDictionary<(long Tenant, long Machine), IReadOnlyList<OpcUaNodeStatusDto>> _nodeStatus = new();

    /// <summary>The machine's session, while one is up.</summary>
    public OpcUaLive? Live(long tenant, long machine) => _live.TryGetValue((tenant, machine), out var live) ? live : null;

    /// <summary>Each map entry's status in the machine's last session (a browse path's resolved node), or null before the first.</summary>
    public IReadOnlyList<OpcUaNodeStatusDto>? NodeStatus(long tenant, long machine) => _nodeStatus.TryGetValue((tenant, machine), out var status) ? status : null;

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
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        List<OpcUaConnectionRow> rows;
        try
        {
            await using var connection = await database.OpenAsync(ct);
            rows = (await connection.QueryAsync<OpcUaConnectionRow>(new CommandDefinition(
                """
                SELECT c.tenant_id, c.machine_id, c.endpoint, c.publishing_ms, c.nodes, c.updated_at, c.security, c.security_mode, c.commands, m.name AS machine_name
                FROM opcua_connections c JOIN machines m ON m.tenant_id = c.tenant_id AND m.id = c.machine_id
                """, cancellationToken: ct))).AsList();
        }
        catch (Exception e) when (LoopFaults.Survives(e, ct))
        {
            return; // The store is down for a moment; the sessions keep what they have.
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
                _nodeStatus.TryRemove(key, out _);
            }
        }

        foreach (var (key, row) in wanted)
        {
            if (!_running.ContainsKey(key))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                _running[key] = (row.UpdatedAt, stop, Task.Run(() => RunAsync(row, stop.Token), CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// How the platform connects to a machine's server: through the egress policy, with the tenant's PKI and the CAs the
    /// tenant uploaded (read at every connect, so a new or deleted CA counts from the next attempt).
    /// </summary>
    public async Task<OpcUaClientOptions> ClientOptionsAsync(OpcUaConnectionRow row, CancellationToken ct) => ClientOptions(row) with
    {
        TrustedAuthorities = row.Security == OpcUaClientOptions.SecurityNone ? [] : await OpcUaTrustedCas.ForTenantAsync(database, row.TenantId, ct),
    };

    private OpcUaClientOptions ClientOptions(OpcUaConnectionRow row) => new(new Uri(row.Endpoint))
    {
        Time = clock,
        RequestTimeout = TimeSpan.FromSeconds(10),
        SessionName = $"millwright machine {row.MachineId}",
        Connector = (host, port, token) => egress.ConnectAsync(row.TenantId, host, port, token),
        Security = row.Security,
        Mode = Enum.Parse<Millwright.OpcUa.Crypto.MessageSecurityMode>(row.SecurityMode),
        PkiDirectory = OpcUaTrust.PkiOf(serveOptions, row.TenantId),
    };

    /// <summary>One machine: connect, subscribe, feed values until the session breaks, then again after back-off.</summary>
    private async Task RunAsync(OpcUaConnectionRow row, CancellationToken ct)
    {
        var nodes = OpcUaConnections.Nodes(row);
        var commands = OpcUaConnections.CommandMap(row);
        var backoff = new ReconnectBackoff(BackoffPolicy.Default, clock);
        while (!ct.IsCancellationRequested)
        {
            string why;
            try
            {
                var options = await ClientOptionsAsync(row, ct);
                await using var client = await OpcUaClient.ConnectAsync(options, ct);
                await using var subscription = await client.SubscribeAsync(TimeSpan.FromMilliseconds(row.PublishingMs), ct: ct);
                // A new watch per session: its first status value is only learned.
                var watch = commands?.Answer is { } answer ? new OpcUaAnswerWatch(row.TenantId, row.MachineId, row.MachineName, answer, port, connectivity, clock) : null;
                var answerNodes = watch?.Nodes.ToList() ?? [];
                // Browse paths are resolved in every session: after a reconnect the server's ids may have changed.
                var entries = await OpcUaNodeMap.ResolveAsync(client, nodes, answerNodes.ToHashSet(), ct);
                var monitored = entries.Select((e, i) => (Entry: e, Index: i)).Where(p => p.Entry.Problem is null).ToList();
                var tags = monitored.ToDictionary(p => p.Entry.Resolved!, p => p.Entry.Node.Tag);
                var statuses = await subscription.MonitorAsync(
                    [.. monitored.Select(p => new MonitoredItemRequest(p.Entry.Resolved!, TimeSpan.FromMilliseconds(p.Entry.Node.SamplingIntervalMs), 10, p.Entry.Node.Deadband)),
                     .. answerNodes.Select(n => new MonitoredItemRequest(n, TimeSpan.FromMilliseconds(row.PublishingMs), 10))], ct);
                for (var i = 0; i < monitored.Count; i++)
                {
                    if (statuses[i].IsBad)
                    {
                        entries[monitored[i].Index] = monitored[i].Entry with { Problem = statuses[i].ToString() };
                    }
                }

                _nodeStatus[(row.TenantId, row.MachineId)] = [.. entries.Select(e => e.AsStatus())];
                var refused = entries.Where(e => e.Problem is not null).Select(e => $"{e.Node.Name}: {e.Problem}")
                    .Concat(answerNodes.Zip(statuses.Skip(monitored.Count)).Where(p => p.Second.IsBad).Select(p => $"{p.First}: {p.Second}")).ToList();
                connectivity.Set(row.TenantId, row.MachineId, new ConnectionState(true, clock.GetUtcNow(), Source,
                    refused.Count == 0 ? null : $"nodes refused by the server: {string.Join("; ", refused.Take(10))}"));
                backoff.Healthy();
                using var sessionEnds = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var live = new OpcUaLive(client, commands, row.Endpoint, sessionEnds.Token);
                _live[(row.TenantId, row.MachineId)] = live;
                try
                {
                    while (await subscription.Values.WaitToReadAsync(ct))
                    {
                        // One publish's changes are taken together, then the answer they make (if any) is given.
                        while (subscription.Values.TryRead(out var change))
                        {
                            if (watch?.Take(change) != true)
                            {
                                await AdmitAsync(row, tags, change, ct);
                            }
                        }

                        watch?.Flush();
                    }
                }
                finally
                {
                    _live.TryRemove(KeyValuePair.Create((row.TenantId, row.MachineId), live));
                    await sessionEnds.CancelAsync();
                }

                why = await subscription.Stopped is { } stopped ? stopped.Message : "the subscription stopped";
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (EgressDeniedException e)
            {
                why = e.Message;
            }
            catch (OpcUaProtocolException e) when (e.Status == StatusCode.BadCertificateUntrusted)
            {
                why = $"{e.Message} (or POST its SHA-256 thumbprint to /api/v1/machines/{row.MachineId}/opcua/trust, or its CA to /api/v1/opcua/trusted-cas)";
            }
            catch (OpcUaProtocolException e) when (IsFraming(e.Status))
            {
                // The bytes that broke the framing are the peer's (an HTTP server's "HTT"); the tenant is told what, the log keeps them.
                LogLost(logger, row.MachineId, e.Message);
                why = $"protocol error: the answer is not OPC UA binary (it broke the UA-TCP framing: {e.Status})";
            }
            catch (Exception e)
            {
                // A refused connection, a timeout, a fault from the server: each is shown and tried again, never ends the machine's loop.
                why = e is OperationCanceledException ? "the server did not answer in time" : e.Message;
            }

            var wait = backoff.Failed();
            connectivity.Set(row.TenantId, row.MachineId, new ConnectionState(false, clock.GetUtcNow(), Source,
                $"{why}; retrying in {wait.TotalSeconds:0.#} s (attempt {backoff.Failures + 1})", backoff.NextRetry, backoff.Failures + 1));
            LogLost(logger, row.MachineId, why);
            try
            {
                await Task.Delay(wait, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Statuses the client gives bytes that are not UA-TCP (OPC 10000-6 7.1), as opposed to a server's refusals.</summary>
    public static bool IsFraming(StatusCode status) =>
        status == StatusCode.BadDecodingError || status == StatusCode.BadTcpMessageTypeInvalid || status == StatusCode.BadTcpMessageTooLarge
        || status == StatusCode.BadSecurityPolicyRejected || status == StatusCode.BadSequenceNumberInvalid || status == StatusCode.BadTcpSecureChannelUnknown
        || status == StatusCode.BadSecureChannelIdInvalid;

    private async Task AdmitAsync(OpcUaConnectionRow row, Dictionary<NodeId, string> tags, MonitoredValue change, CancellationToken ct)
    {
        if (!tags.TryGetValue(change.Node, out var tag) || !change.Value.Status.IsGood || ToTagValue(change.Value.Value) is not { } value)
        {
            return; // A bad or uncertain sample, or a value with no single tag value (an array, a structure), is not a reading.
        }

        var at = change.Value.SourceTimestamp is { } source ? new DateTimeOffset(DateTime.SpecifyKind(source, DateTimeKind.Utc)) : clock.GetUtcNow();
        var admission = await pipeline.AdmitAsync(new DeviceMessage(row.TenantId, row.MachineId, Source, clock.GetUtcNow(),
            [new Reading(tag, at.ToUnixTimeMilliseconds(), value)]), null, ct);
        if (admission.Refusal is { } refusal)
        {
            LogRefused(logger, row.MachineId, refusal);
        }
    }

    private static TagValue? ToTagValue(Variant variant) => variant.IsArray ? null : variant.Value switch
    {
        null => null,
        bool flag => TagValue.Of(flag),
        string text => text.Length <= TelemetryJson.MaxTextLength ? TagValue.Of(text) : null,
        DateTime at => TagValue.Of(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeMilliseconds()),
        float f when float.IsFinite(f) => TagValue.Of(f),
        double d when double.IsFinite(d) => TagValue.Of(d),
        sbyte or short or int or long or byte or ushort or uint or ulong => TagValue.Of(Convert.ToDouble(variant.Value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => null,
    };

    public override void Dispose()
    {
        _refresh.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine}: OPC UA session lost: {Why}")]
    private static partial void LogLost(ILogger logger, long machine, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {Machine}: OPC UA values refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, long machine, string reason);
}
