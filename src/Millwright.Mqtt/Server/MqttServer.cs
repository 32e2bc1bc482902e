using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Millwright.Mqtt.Server;

/// <summary>
/// An MQTT 3.1.1 and 5.0 broker: listeners, sessions, subscriptions, retained messages and routing. The
/// application decides through its <see cref="MqttGate"/>; everything else follows the specification.
/// </summary>
public sealed partial class MqttServer : IAsyncDisposable
{
    public const string MeterName = "Millwright.Mqtt";

    private readonly ConcurrentDictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MqttConnection, byte> _connections = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private int _disposed;
    private int _admitted;
    private int _unauthenticated;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _sessionLock = new();
    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _quotaRefusals;
    private long _nextRetainedSweep;
    private readonly ConcurrentDictionary<string, MqttAccount> _accounts = new(StringComparer.Ordinal);

    [ThreadStatic]
    private static List<(MqttSession Session, SessionSubscription Subscription)>? t_matches;

    public MqttServer(MqttServerOptions options, MqttGate gate, TimeProvider? clock = null, IMeterFactory? meters = null)
    {
        options.Validate();
        Options = options;
        Gate = gate;
        Clock = clock ?? TimeProvider.System;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _received = meter.CreateCounter<long>("millwright.mqtt.publishes_received");
        _delivered = meter.CreateCounter<long>("millwright.mqtt.publishes_queued");
        _dropped = meter.CreateCounter<long>("millwright.mqtt.publishes_dropped", description: "Dropped: QoS 0 to an absent client, or a full session queue");
        _quotaRefusals = meter.CreateCounter<long>("millwright.mqtt.quota_refusals", description: "Connects, sessions, subscriptions and retained messages refused at an account's quota");
        meter.CreateObservableGauge("millwright.mqtt.connections", () => _connections.Count);
        meter.CreateObservableGauge("millwright.mqtt.unauthenticated_connections", () => Volatile.Read(ref _unauthenticated));
        meter.CreateObservableGauge("millwright.mqtt.sessions", () => _sessions.Count);
    }

    public MqttServerOptions Options { get; }

    internal MqttGate Gate { get; }

    internal TimeProvider Clock { get; }

    internal SubscriptionTree Subscriptions { get; } = new();

    internal RetainedMessages Retained { get; } = new();

    /// <summary>Connections whose CONNECT was accepted: what <see cref="MqttServerOptions.MaxConnections"/> bounds.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Sockets still on their way to an accepted CONNECT.</summary>
    public int UnauthenticatedCount => Volatile.Read(ref _unauthenticated);

    public int SessionCount => _sessions.Count;

    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!).ToList();

    internal long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>What the account holds in the broker now; null when none of its clients has been seen.</summary>
    public MqttAccountUsage? UsageOf(string account) => _accounts.TryGetValue(account, out var found) ? found.Usage : null;

    /// <summary>Asks the gate again for every known account's limits (after an operator changed quotas).</summary>
    public void RefreshLimits()
    {
        foreach (var account in _accounts.Values)
        {
            account.Update(Gate.LimitsOf(account.Name));
        }
    }

    internal MqttAccount? AccountOf(MqttClient client) =>
        Gate.AccountOf(client) is { } name ? _accounts.GetOrAdd(name, n => new MqttAccount(n, Gate.LimitsOf(n), Clock)) : null;

    /// <summary>Counts a refusal at a quota, by kind (connections, sessions, subscriptions, retained): a bounded label set.</summary>
    internal void CountQuotaRefusal(string kind) => _quotaRefusals.Add(1, new KeyValuePair<string, object?>("quota", kind));

    /// <summary>The open connections, for tests and diagnostics.</summary>
    internal ICollection<MqttConnection> Connections => _connections.Keys;

    /// <summary>The session of a client id, for tests and diagnostics.</summary>
    internal MqttSession? FindSession(string clientId) => _sessions.GetValueOrDefault(clientId);

    /// <summary>Starts accepting on <paramref name="endpoint"/> (port 0 picks one); TLS when a certificate is given.</summary>
    public IPEndPoint Listen(IPEndPoint endpoint, X509Certificate2? certificate = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(1024);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listeners.Add(socket);
        _loops.Add(AcceptLoopAsync(socket, certificate));
        if (_loops.Count == 1)
        {
            _loops.Add(HousekeepingLoopAsync());
        }

        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>
    /// Publishes as the server itself (commands to machines, Sparkplug rebirth requests). With a bridge it also goes to
    /// the other nodes' subscribers, unless <paramref name="thisNodeOnly"/>: what a node says about itself (its
    /// Sparkplug host state) is not another node's to say.
    /// </summary>
    public void Publish(string topic, ReadOnlyMemory<byte> payload, QualityOfService qos, bool retain = false, bool thisNodeOnly = false) =>
        ObserveFaults(Route(new ApplicationMessage { Topic = topic, Payload = payload, QoS = qos, Retain = retain }, thisNodeOnly ? RouteFrom.HereOnly : RouteFrom.Here));

    /// <summary>Routes the message to this node's subscribers (and, from here, to the bridge and the retained replica).</summary>
    /// <returns>
    /// What the publisher's acknowledgement waits for besides its own durability, or null: the bridge's confirm of a
    /// QoS 1 or 2 message it took (the other nodes' queues hold it), and the replica's store of a retained message.
    /// </returns>
    internal Task? Route(ApplicationMessage message, RouteFrom from = RouteFrom.Here)
    {
        _received.Add(1);
        Task? bridged = null;
        if (from == RouteFrom.Here && Volatile.Read(ref _bridge) is { } bridge && bridge.Accepts(message.Topic))
        {
            bridged = bridge.Forward(message.Topic, EncodeForBridge(message, Now), confirm: message.QoS != QualityOfService.AtMostOnce, message.SenderClientId);
        }

        var stored = Store(message, from);
        Deliver(message);
        return (bridged, stored) switch
        {
            (null, var only) => only,
            (var only, null) => only,
            var (both, also) => Task.WhenAll(both, also),
        };
    }

    /// <returns>For a retained message set here with a replica attached, the task of storing it; else null.</returns>
    private Task? Store(ApplicationMessage message, RouteFrom from)
    {
        Task? stored = null;
        if (message.Retain)
        {
            var replica = Volatile.Read(ref _retainedReplica);
            if (replica is null || from != RouteFrom.Peer)
            {
                // A peer's retained message arrives through the replica, in the order the cluster stored it.
                Retained.Set(message);
            }

            if (replica is not null && from == RouteFrom.Here)
            {
                stored = replica.StoreAsync(message.Topic, message.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : EncodeForBridge(message, Now), message.Account?.Name, message.ExpiresAt);
            }
        }

        return stored;
    }

    /// <summary>Queues the message for this node's subscribers, one copy per session.</summary>
    private void Deliver(ApplicationMessage message)
    {
        var matches = t_matches ??= [];
        matches.Clear();
        Subscriptions.Match(message.Topic, matches);
        if (matches.Count > 1)
        {
            // Overlapping subscriptions of one session: one copy, at the highest QoS, with all their ids (3.3.4).
            matches.Sort((a, b) => string.CompareOrdinal(a.Session.ClientId, b.Session.ClientId));
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var (session, subscription) = matches[i];
            if (subscription.Options.NoLocal && session.ClientId == message.SenderClientId)
            {
                continue;
            }

            var qos = subscription.Options.QoS;
            var retainAsPublished = subscription.Options.RetainAsPublished;
            IReadOnlyList<uint> ids = subscription.SubscriptionId is { } id ? [id] : [];
            while (i + 1 < matches.Count && ReferenceEquals(matches[i + 1].Session, session))
            {
                var other = matches[++i].Subscription;
                qos = (QualityOfService)Math.Max((int)qos, (int)other.Options.QoS);
                retainAsPublished |= other.Options.RetainAsPublished;
                if (other.SubscriptionId is { } otherId)
                {
                    ids = [.. ids, otherId];
                }
            }

            var granted = (QualityOfService)Math.Min((int)qos, (int)message.QoS);
            if (session.Enqueue(new Delivery(message, granted, retainAsPublished && message.Retain, ids)))
            {
                _delivered.Add(1);
            }
            else
            {
                _dropped.Add(1);
            }
        }
    }

    /// <summary>
    /// Counts an accepted client against <see cref="MqttServerOptions.MaxConnections"/>; false when that is full.
    /// Called only after the gate accepted the CONNECT, so sockets that never log in take no place from clients.
    /// </summary>
    internal bool TryAdmit(MqttConnection connection)
    {
        if (Interlocked.Increment(ref _admitted) > Options.MaxConnections)
        {
            Interlocked.Decrement(ref _admitted);
            return false;
        }

        _connections.TryAdd(connection, 0);
        return true;
    }

    internal void Unregister(MqttConnection connection)
    {
        if (_connections.TryRemove(connection, out _))
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    /// <summary>How long accepting pauses when the process is out of descriptors (real time: it waits for the OS).</summary>
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(100);

    private async Task AcceptLoopAsync(Socket listener, X509Certificate2? certificate)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                if (e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable })
                {
                    // Out of descriptors or buffers: retrying at once would spin a core until a connection closes.
                    try
                    {
                        await Task.Delay(AcceptRetry, _stopping.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                continue;
            }

            // Sockets that have not logged in are bounded on their own: past the bound they are closed at
            // once, before any byte is read or a TLS handshake is spent on them.
            if (Interlocked.Increment(ref _unauthenticated) > Options.MaxUnauthenticatedConnections)
            {
                Interlocked.Decrement(ref _unauthenticated);
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            _ = ServeAsync(socket, certificate);
        }
    }

    /// <summary>
    /// Serves one socket; it holds a place among the unauthenticated ones until its CONNECT is answered. A plain
    /// socket is handed to its connection without an async frame of its own here, so an idle client holds none.
    /// </summary>
    private Task ServeAsync(Socket socket, X509Certificate2? certificate)
    {
        var unauthenticated = new UnauthenticatedPlace(this);

        // One deadline on the server's clock covers the TLS handshake, the CONNECT and the gate's answer.
        var deadline = new CancellationTokenSource(Options.ConnectTimeout, Clock);
        if (certificate is not null)
        {
            return ServeTlsAsync(socket, certificate, unauthenticated, deadline);
        }

        EndPoint? remote;
        try
        {
            remote = socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            // Gone before it was served.
            unauthenticated.Release();
            deadline.Dispose();
            socket.Dispose();
            return Task.CompletedTask;
        }

        Stream stream = Options.ParkIdleSockets && ReadinessLoop.Shared is { IsRunning: true } loop ? new EpollSocketStream(socket, loop) : new SocketStream(socket);
        return new MqttConnection(this, stream, remote).RunAsync(deadline, unauthenticated, _stopping.Token);
    }

    private async Task ServeTlsAsync(Socket socket, X509Certificate2 certificate, UnauthenticatedPlace unauthenticated, CancellationTokenSource deadline)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        EndPoint? remote;
        try
        {
            remote = socket.RemoteEndPoint;
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, deadline.Token);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, handshake.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            // A client that fails the TLS handshake or vanishes affects nobody else.
            unauthenticated.Release();
            deadline.Dispose();
            await tls.DisposeAsync();
            return;
        }

        // The connection releases the place, disposes the deadline and closes the stream.
        await new MqttConnection(this, tls, remote).RunAsync(deadline, unauthenticated, _stopping.Token);
    }

    /// <summary>A socket's place among the unauthenticated ones, given back once: at login or at close.</summary>
    internal sealed class UnauthenticatedPlace(MqttServer server)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref server._unauthenticated);
            }
        }
    }

    /// <summary>Once a second: close connections past 1.5 times their keep-alive (3.1.2.10), end expired sessions.</summary>
    private async Task HousekeepingLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = Now;
                // Enumerated in place: .Keys and .Values copy the whole dictionary, which with 10,000 idle clients
                // copied 160 KB a second for nothing.
                foreach (var (connection, _) in _connections)
                {
                    try
                    {
                        connection.CheckKeepAlive(now);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One connection's failure (an application callback in its abort) must not end keep-alive
                        // checks and session expiry for every other client: said, and the loop goes on.
                        Report("a keep-alive check failed", e);
                    }
                }

                try
                {
                    ExpireRetainedAndSessions(now);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Report("retained message and session expiry failed", e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ExpireRetainedAndSessions(long now)
    {
        if (now >= _nextRetainedSweep)
        {
            // Expired retained messages stop counting against their account even if nobody subscribes.
            _nextRetainedSweep = now + 10_000;
            Retained.SweepExpired(now);
        }

        foreach (var (_, session) in _sessions)
        {
            if (session.DisconnectedAt is { } since && session.ExpirySeconds != uint.MaxValue
                && now - since >= session.ExpirySeconds * 1000L)
            {
                lock (_sessionLock)
                {
                    if (session.Connection is null)
                    {
                        DropSession(session);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Says on standard error what failed where nobody awaits it (the housekeeping loop, an abort's callbacks), as the
    /// readiness loop does: the library has no logger, and a failure here must be seen, not end the loop silently.
    /// </summary>
    internal static void Report(string what, Exception e) => Console.Error.WriteLine($"mqtt: {what}: {e}");

    public async ValueTask DisposeAsync()
    {
        // Both the host's listener service and the container dispose the server; the second call is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }

        _stopping.Dispose();
        Subscriptions.Dispose();
    }
}
