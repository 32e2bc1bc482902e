using System.Net.WebSockets;
using System.Threading.Channels;
using Millwright.Security;

namespace Millwright.Features.Live;

/// <summary>
/// One dashboard's WebSocket: logs in (header key or a first <c>{"key"}</c> message), then reads requests
/// while a single writer sends acknowledgements, snapshots and coalesced changes (a WebSocket allows one
/// send at a time). A refresh loop re-checks the key and re-reads watched lines and sites. Every refusal
/// ends with a close frame that says why: 1008 for policy, 1009 for a message over the size limit.
/// </summary>
internal sealed partial class LiveConnection(WebSocket socket, LiveServices services) : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly LiveOptions _options = services.Options;
    private readonly byte[] _buffer = new byte[services.Options.MaxMessageBytes + 1];

    // Bounded: a client that sends requests without reading the answers stops being read (back-pressure).
    private readonly Channel<LiveOutgoing> _control = Channel.CreateBounded<LiveOutgoing>(new BoundedChannelOptions(32)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly TaskCompletionSource<(WebSocketCloseStatus Status, string Reason)> _closeRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LiveSubscriptions _subscriptions = new();
    private Task<ValueWebSocketReceiveResult>? _receive;
    private int _received;
    private int _badMessages;

    public async Task RunAsync(string? headerKey, CancellationToken aborted)
    {
        try
        {
            using var _ = aborted.Register(() => _stop.Cancel());
            var (caller, key) = await AuthenticateAsync(headerKey);
            if (caller is null)
            {
                return;
            }

            var subscriber = services.Feed.TryOpen(caller.Tenant);
            if (subscriber is null)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"this tenant already has {_options.MaxConnectionsPerTenant} live connections open");
                return;
            }

            Task? writer = null;
            Task? refresher = null;
            (WebSocketCloseStatus Status, string Reason) close = (WebSocketCloseStatus.InternalServerError, "internal error; it has been logged");
            try
            {
                await _control.Writer.WriteAsync(new LiveOutgoing(LiveMessages.Welcome(caller, _options)), _stop.Token);
                writer = WriteLoopAsync(subscriber);
                subscriber.Wake();
                refresher = RefreshLoopAsync(caller, key!, subscriber);
                close = await ReadLoopAsync(caller, subscriber);
            }
            catch (Exception e) when (e is not (WebSocketException or OperationCanceledException or IOException))
            {
                services.Logger.LogError(e, "Live connection of tenant {Tenant} failed", caller.Tenant);
            }
            finally
            {
                // Whatever ended the reading, the writer and the refresh stop before the close frame goes out.
                await _stop.CancelAsync();
                if (refresher is not null)
                {
                    await refresher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                var finished = writer is null || await Finished(writer);
                services.Feed.Close(subscriber);
                if (finished)
                {
                    await CloseAsync(close.Status, close.Reason);
                }
                else
                {
                    socket.Abort();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to tell.
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "Live connection failed");
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "internal error; it has been logged");
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _gate.Dispose();
    }

    /// <summary>Closes at once with 1008 and <paramref name="reason"/>, before any login.</summary>
    public Task RefuseAsync(string reason) => CloseAsync(WebSocketCloseStatus.PolicyViolation, reason);

    /// <summary>The caller and the key it presented, or (null, null) after closing with the reason.</summary>
    private async Task<(Caller? Caller, string? Key)> AuthenticateAsync(string? headerKey)
    {
        var key = headerKey;
        if (key is null)
        {
            using var timeout = services.Clock.CreateTimer(
                _ => RequestClose(WebSocketCloseStatus.PolicyViolation, $"no API key: send {{\"key\": \"mwk_...\"}} as the first message within {_options.AuthTimeout.TotalSeconds:0.#} s"),
                null, _options.AuthTimeout, Timeout.InfiniteTimeSpan);
            var received = await ReceiveAsync();
            if (received != LiveReceive.Text)
            {
                await EndBeforeLoginAsync(received, "the first message must be {\"key\": \"mwk_...\"} as JSON text");
                return (null, null);
            }

            try
            {
                var request = LiveRequestParser.Parse(_buffer.AsSpan(0, _received));
                key = request.Kind == LiveRequestKind.Authenticate ? request.Key : null;
            }
            catch (LiveRequestException)
            {
                key = null;
            }

            if (key is null)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "the first message must be {\"key\": \"mwk_...\"}");
                return (null, null);
            }
        }

        var (caller, refusal) = await services.Verifier.VerifyAsync(key, _stop.Token);
        if (caller is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal!);
            return (null, null);
        }

        if (caller.TenantId is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "a platform key has no tenant; watch with a key of the tenant (any role)");
            return (null, null);
        }

        if (caller.Role == Role.Participant)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "an external participant's key opens only the makerspace");
            return (null, null);
        }

        return (caller, key);
    }

    private Task EndBeforeLoginAsync(LiveReceive received, string refusal) => received switch
    {
        LiveReceive.TooBig => CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {_options.MaxMessageBytes} bytes"),
        LiveReceive.Interrupted => CloseAsync(_closeRequest.Task.Result.Status, _closeRequest.Task.Result.Reason),
        LiveReceive.Closed => CloseAsync(WebSocketCloseStatus.NormalClosure, ""),
        LiveReceive.Gone => Task.CompletedTask,
        _ => CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal),
    };

    /// <summary>Reads one whole message into the buffer, at most <see cref="LiveOptions.MaxMessageBytes"/>.</summary>
    private async Task<LiveReceive> ReceiveAsync()
    {
        _received = 0;
        while (true)
        {
            // Not cancelled by token: cancelling a WebSocket receive aborts the socket, and a refusal must
            // still be able to send its close frame. The pending receive is left to finish at the close.
            _receive = socket.ReceiveAsync(_buffer.AsMemory(_received), CancellationToken.None).AsTask();
            if (await Task.WhenAny(_receive, _closeRequest.Task) != _receive)
            {
                return LiveReceive.Interrupted;
            }

            ValueWebSocketReceiveResult result;
            try
            {
                result = await _receive;
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                return LiveReceive.Gone;
            }

            _receive = null;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return LiveReceive.Closed;
            }

            _received += result.Count;
            if (_received > _options.MaxMessageBytes)
            {
                return LiveReceive.TooBig;
            }

            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? LiveReceive.Text : LiveReceive.Binary;
            }
        }
    }

    private void RequestClose(WebSocketCloseStatus status, string reason) => _closeRequest.TrySetResult((status, reason));

    private async Task<bool> Finished(Task task)
    {
        try
        {
            await task.WaitAsync(Grace, services.Clock);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "Live connection's writer failed");
            return socket.State is WebSocketState.Open or WebSocketState.CloseReceived;
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        // A close reason is at most 123 bytes of UTF-8 (RFC 6455 section 5.5: control frames carry at most 125).
        var text = reason.Length > 120 ? reason[..117] + "..." : reason;
        using var deadline = new CancellationTokenSource(Grace, services.Clock);
        try
        {
            await socket.CloseOutputAsync(status, text, deadline.Token);
            if (_receive is { } pending)
            {
                await ((Task)pending).WaitAsync(Grace, services.Clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or InvalidOperationException)
        {
            socket.Abort();
        }
    }
}
