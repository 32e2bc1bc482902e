using System.Threading.Channels;
using Millwright.Features.DeviceCredentials;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

/// <summary>
/// Ends MQTT access that has ended in the store: on every committed <see cref="AccessChange"/>, the clients it
/// concerns are checked again at once; every <c>recheckInterval</c> all clients are (for changes made by
/// another node or straight in the store). A client that fails is disconnected with 0x87 Not authorized (a
/// 3.1.1 client just sees the close) and its session, subscriptions and queued messages are dropped, so that
/// nothing keeps collecting for a key that was revoked or a slug that another tenant may take next.
/// One loop does both, so checks never race each other.
/// </summary>
internal sealed partial class MqttAccessWatch(
    MqttServer server, AccessChanges changes, IDatabase database, TimeProvider clock, TimeSpan recheckInterval, ILogger<MqttAccessWatch> logger,
    IKeptSessions? kept = null)
    : BackgroundService
{
    // Committed batches waiting for the loop. Past the bound they are not kept: the next pass, which a full
    // queue is sure to wake, checks everyone.
    private readonly Channel<IReadOnlyList<AccessChange>> _pending = Channel.CreateBounded<IReadOnlyList<AccessChange>>(new BoundedChannelOptions(1_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private int _checkEveryone;
    private long _closed;

    /// <summary>Clients closed since start, for tests and diagnostics.</summary>
    public long Closed => Interlocked.Read(ref _closed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listening = changes.Listen(Enqueue);
        using var timer = new PeriodicTimer(recheckInterval, clock);
        Task<bool>? tick = null;
        Task<bool>? changed = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            changed ??= _pending.Reader.WaitToReadAsync(stoppingToken).AsTask();
            var woke = await Task.WhenAny(tick, changed);
            if (woke.IsCanceled)
            {
                break;
            }

            var everyone = woke == tick || Interlocked.Exchange(ref _checkEveryone, 0) == 1;
            if (woke == tick)
            {
                tick = null;
            }
            else
            {
                changed = null;
            }

            var batch = new List<AccessChange>();
            while (_pending.Reader.TryRead(out var committed))
            {
                batch.AddRange(committed);
            }

            foreach (var tenant in batch.Where(c => c.IsTenantWide && c.TenantId is not null).Select(c => c.TenantId!.Value).Distinct())
            {
                // A deleted tenant's or an old slug's retained messages must not reach whoever takes the slug next.
                server.ClearRetained(Quotas.QuotaAccounts.Of(tenant));
            }

            try
            {
                var clients = everyone ? server.Clients : server.Clients.Where(c => Concerns(batch, c)).ToList();
                await EndRevokedAsync(clients, stoppingToken);

                // Cluster mode: sessions whose clients are away are held by no node's broker, so they are checked here,
                // on every pass, wherever the change was made.
                if (kept is not null)
                {
                    var ended = await kept.EndRevokedAsync(stoppingToken);
                    if (ended > 0)
                    {
                        LogAwayEnded(logger, ended);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                // The store cannot answer: nobody is closed for that (devices go on), and the next pass checks everyone.
                Interlocked.Exchange(ref _checkEveryone, 1);
                LogCheckFailed(logger, e);
            }
        }
    }

    private void Enqueue(IReadOnlyList<AccessChange> batch)
    {
        if (!_pending.Writer.TryWrite(batch))
        {
            Interlocked.Exchange(ref _checkEveryone, 1);
        }
    }

    private static bool Concerns(List<AccessChange> batch, MqttClient client) => client.Principal switch
    {
        DeviceIdentity d => batch.Exists(c => c.ConcernsMachine(d.TenantId, d.MachineId)),
        KeyPrincipal k => batch.Exists(c => c.ConcernsKey(k.Caller.TenantId, k.Caller.KeyId)),
        _ => false,
    };

    private async Task EndRevokedAsync(IReadOnlyList<MqttClient> clients, CancellationToken cancellationToken)
    {
        if (clients.Count == 0)
        {
            return;
        }

        foreach (var client in await MqttAccessCheck.FindRevokedAsync(database, clients, cancellationToken))
        {
            // The reason string also makes the packet long enough for clients (paho 1.6) that read a
            // DISCONNECT's reason code only when properties follow it.
            if (server.Disconnect(client, ReasonCode.NotAuthorized, "access ended: the key or credential was revoked, or its machine or tenant deleted or renamed"))
            {
                Interlocked.Increment(ref _closed);
                LogClosed(logger, client.ClientId, client.Principal switch
                {
                    DeviceIdentity d => $"device {d.Username} of machine {d.MachineId}",
                    KeyPrincipal k => $"API key {k.Caller.KeyId}",
                    _ => "unknown",
                });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} ({Who}) disconnected: its access has ended")]
    private static partial void LogClosed(ILogger logger, string clientId, string who);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} kept MQTT sessions of away clients ended: their access has ended")]
    private static partial void LogAwayEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT access re-check failed; everyone is checked on the next pass")]
    private static partial void LogCheckFailed(ILogger logger, Exception e);
}
