using System.Net.WebSockets;
using Millwright.Security;

namespace Millwright.Features.Live;

/// <summary>The request side of a live connection: subscribe, unsubscribe, and the periodic refresh.</summary>
internal sealed partial class LiveConnection
{
    /// <summary>Reads requests until the client closes, breaks a rule, or the connection is told to close; returns the close to send.</summary>
    private async Task<(WebSocketCloseStatus Status, string Reason)> ReadLoopAsync(Caller caller, LiveSubscriber subscriber)
    {
        while (true)
        {
            var received = await ReceiveAsync();
            switch (received)
            {
                case LiveReceive.TooBig:
                    return (WebSocketCloseStatus.MessageTooBig, $"messages are limited to {_options.MaxMessageBytes} bytes");
                case LiveReceive.Closed:
                    return (WebSocketCloseStatus.NormalClosure, "");
                case LiveReceive.Interrupted:
                    return _closeRequest.Task.Result;
                case LiveReceive.Gone:
                    return (WebSocketCloseStatus.EndpointUnavailable, "");
            }

            string? problem;
            if (received == LiveReceive.Binary)
            {
                problem = "send requests as JSON text messages, not binary";
            }
            else
            {
                try
                {
                    var request = LiveRequestParser.Parse(_buffer.AsSpan(0, _received));
                    problem = request.Kind == LiveRequestKind.Authenticate ? "already logged in" : null;
                    if (problem is null)
                    {
                        await HandleAsync(caller, subscriber, request);
                    }
                }
                catch (LiveRequestException e)
                {
                    problem = e.Message;
                }
            }

            if (problem is not null)
            {
                await SendAsync(LiveMessages.Error(problem), subscriber);
                if (++_badMessages >= _options.MaxBadMessages)
                {
                    return (WebSocketCloseStatus.PolicyViolation, $"{_badMessages} bad messages; closing");
                }
            }
        }
    }

    private async Task HandleAsync(Caller caller, LiveSubscriber subscriber, LiveRequest request)
    {
        await _gate.WaitAsync(_stop.Token);
        try
        {
            if (request.Kind == LiveRequestKind.Unsubscribe)
            {
                if (request.Selection.Positions)
                {
                    services.Feed.WatchPositions(subscriber, false);
                }

                _subscriptions.Remove(request.Selection);
                var (_, removed) = services.Feed.Cover(subscriber, _subscriptions.Covered());
                subscriber.Pending.Forget(removed);
                await SendAsync(LiveMessages.Subscriptions(_subscriptions.Selection, _subscriptions.Covered().Count, subscriber.WatchesPositions), subscriber);
                return;
            }

            if (request.Selection.IsEmpty)
            {
                // Only the fleet positions: what moves from now on (the client reads where the fleet is over REST).
                services.Feed.WatchPositions(subscriber, true);
                await SendAsync(LiveMessages.Subscriptions(_subscriptions.Selection, _subscriptions.Covered().Count, true), subscriber);
                return;
            }

            var found = await services.Sessions.RunAsync(caller, s => LiveRegistry.ResolveAsync(s, request.Selection), _stop.Token);
            var covered = _subscriptions.Covered(found);
            if (covered.Count > _options.MaxMachinesPerConnection)
            {
                await SendAsync(LiveMessages.Error(
                    $"this subscription would cover {covered.Count} machines; one connection may cover at most {_options.MaxMachinesPerConnection}. Nothing was changed."), subscriber);
                return;
            }

            _subscriptions.Add(found);
            services.Feed.Cover(subscriber, covered);
            if (request.Selection.Positions)
            {
                services.Feed.WatchPositions(subscriber, true);
            }

            await SendAsync(LiveMessages.Subscriptions(_subscriptions.Selection, covered.Count, subscriber.WatchesPositions), subscriber);
            if (!found.NotFound.IsEmpty)
            {
                // Another tenant's id is answered exactly like an id that does not exist.
                await SendAsync(LiveMessages.Error("not found", found.NotFound), subscriber);
            }

            var named = new HashSet<long>(found.Machines);
            foreach (var machines in found.Lines.Values.Concat(found.Sites.Values))
            {
                named.UnionWith(machines);
            }

            if (named.Count > 0)
            {
                await _control.Writer.WriteAsync(new LiveOutgoing(null, named), _stop.Token);
                subscriber.Wake();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Re-checks the key (revoked: close) and re-reads what the subscriptions name (new machines on a watched
    /// line get a snapshot): at once when a committed <see cref="AccessChange"/> concerns the key or its tenant
    /// (the same signal that ends MQTT access), and every refresh interval for changes made elsewhere.
    /// </summary>
    private async Task RefreshLoopAsync(Caller caller, string key, LiveSubscriber subscriber)
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval, services.Clock);
        // One pending request is enough: a check asked for twice before it ran is one check.
        var recheck = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
        using var listening = services.Access.Listen(changes =>
        {
            if (changes.Any(c => c.ConcernsKey(caller.TenantId, caller.KeyId)))
            {
                recheck.Writer.TryWrite(true);
            }
        });
        Task<bool>? tick = null;
        Task<bool>? asked = null;
        try
        {
            while (true)
            {
                tick ??= timer.WaitForNextTickAsync(_stop.Token).AsTask();
                asked ??= recheck.Reader.ReadAsync(_stop.Token).AsTask();
                var woke = await Task.WhenAny(tick, asked);
                await woke;
                if (woke == tick)
                {
                    if (!tick.Result)
                    {
                        return;
                    }

                    tick = null;
                }
                else
                {
                    asked = null;
                }

                var (again, refusal) = await services.Verifier.VerifyAsync(key, _stop.Token);
                if (again is null)
                {
                    RequestClose(WebSocketCloseStatus.PolicyViolation, refusal!);
                    return;
                }

                await _gate.WaitAsync(_stop.Token);
                try
                {
                    var selection = _subscriptions.Selection;
                    if (selection.IsEmpty)
                    {
                        continue;
                    }

                    var all = await services.Sessions.RunAsync(caller, s => LiveRegistry.ResolveAsync(s, selection), _stop.Token);
                    _subscriptions.Refresh(all);
                    var covered = _subscriptions.Covered();
                    if (covered.Count > _options.MaxMachinesPerConnection)
                    {
                        RequestClose(WebSocketCloseStatus.PolicyViolation,
                            $"the watched lines and sites grew to {covered.Count} machines, over the limit of {_options.MaxMachinesPerConnection}");
                        return;
                    }

                    var (added, removed) = services.Feed.Cover(subscriber, covered);
                    subscriber.Pending.Forget(removed);
                    if (added.Count > 0)
                    {
                        await _control.Writer.WriteAsync(new LiveOutgoing(null, added), _stop.Token);
                        subscriber.Wake();
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The connection is closing.
        }
        catch (System.Data.Common.DbException e)
        {
            // The store is unreachable: the key can no longer be checked, so the connection may not go on.
            services.Logger.LogWarning(e, "Live connection of tenant {Tenant} closed: its refresh failed", caller.Tenant);
            RequestClose(WebSocketCloseStatus.InternalServerError, "the store is unavailable; reconnect later");
        }
    }

    private async Task SendAsync(byte[] json, LiveSubscriber subscriber)
    {
        await _control.Writer.WriteAsync(new LiveOutgoing(json), _stop.Token);
        subscriber.Wake();
    }
}
