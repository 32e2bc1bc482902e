using System.Net.WebSockets;
using Millwright.Api;
using Millwright.Design;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>
/// One client on a project's design channel: the first message is a hello (replica name, and the key unless a
/// header carried it); then the client sends operations, presence and resync requests while one writer drains its
/// outbox. A malformed message gets an error and the whole state (a resync) and changes nothing; a client that keeps
/// sending malformed messages, or stops reading, is closed with 1008.
/// </summary>
internal sealed class DesignConnection(WebSocket socket, DesignServices services, long project)
{
    public const int MaxMessageBytes = 256 * 1024;
    public const int OutboxCapacity = 4_096;
    private const int MaxBadMessages = 20;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    private readonly byte[] _buffer = new byte[MaxMessageBytes + 1];

    public async Task RunAsync(string? headerKey, CancellationToken aborted)
    {
        try
        {
            var (caller, hello) = await LoginAsync(headerKey, aborted);
            if (caller is null)
            {
                return;
            }

            DesignRoom room;
            try
            {
                room = await services.Hub.RoomAsync(caller.Tenant, project, aborted);
            }
            catch (ApiProblem)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"this key's tenant has no design project {project}");
                return;
            }

            var member = new DesignMember(caller, $"k{caller.KeyId}-{hello!.Replica}", OutboxCapacity);
            if (room.Join(member) is { } refusal)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal);
                return;
            }

            var writer = WriteLoopAsync(member);
            (WebSocketCloseStatus, string) close;
            try
            {
                close = await ReadLoopAsync(room, member, aborted);
            }
            finally
            {
                room.Leave(member);
                member.Finish();
                await writer;
            }

            if (member.Overflow is not null)
            {
                close = (WebSocketCloseStatus.PolicyViolation, member.Overflow);
            }

            await CloseAsync(close.Item1, close.Item2);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to tell.
        }
    }

    private async Task<(Caller? Caller, ChannelRequest? Hello)> LoginAsync(string? headerKey, CancellationToken aborted)
    {
        using var timeout = new CancellationTokenSource(HelloTimeout, services.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborted);
        ChannelRequest? hello = null;
        var (kind, length) = await ReceiveAsync(linked.Token);
        if (kind == WebSocketMessageType.Text)
        {
            try
            {
                hello = ChannelRequestParser.Parse(_buffer.AsSpan(0, length));
            }
            catch (ChannelProtocolException e)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"the first message must be a hello: {e.Message}");
                return (null, null);
            }
        }

        if (hello is not { Kind: ChannelRequestKind.Hello })
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "the first message must be {\"type\":\"hello\",\"replica\":\"...\"} (with \"key\" unless a header carried it)");
            return (null, null);
        }

        var key = headerKey ?? hello.Key;
        if (key is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "no API key: send it in the X-Api-Key header or as \"key\" in the hello");
            return (null, null);
        }

        var (caller, refusal) = await services.Verifier.VerifyAsync(key, aborted);
        var reason = caller switch
        {
            null => refusal!,
            { TenantId: null } => "a platform key has no tenant; design with a key of the tenant",
            { Role: Role.Participant } => "an external participant's key opens only the makerspace",
            _ => null,
        };
        if (reason is not null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, reason);
            return (null, null);
        }

        return (caller, hello);
    }

    private async Task<(WebSocketCloseStatus, string)> ReadLoopAsync(DesignRoom room, DesignMember member, CancellationToken aborted)
    {
        var bad = 0;
        while (member.Overflow is null)
        {
            var (kind, length) = await ReceiveAsync(aborted);
            if (kind == WebSocketMessageType.Close)
            {
                return (WebSocketCloseStatus.NormalClosure, "");
            }

            if (length > MaxMessageBytes)
            {
                return (WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes");
            }

            string? problem;
            try
            {
                problem = kind == WebSocketMessageType.Text ? await HandleAsync(room, member, ChannelRequestParser.Parse(_buffer.AsSpan(0, length)), aborted) : "messages are JSON text";
            }
            catch (ChannelProtocolException e)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                if (++bad > MaxBadMessages)
                {
                    return (WebSocketCloseStatus.PolicyViolation, $"more than {MaxBadMessages} refused messages");
                }

                member.Send(ChannelMessages.Error(member.ReadOnly && problem.StartsWith("this key is read-only", StringComparison.Ordinal) ? "read-only" : "malformed", problem));
                room.Resync(member);
            }
        }

        return (WebSocketCloseStatus.PolicyViolation, member.Overflow);
    }

    /// <summary>Acts on one request; returns what was wrong with it, or null.</summary>
    private static async Task<string?> HandleAsync(DesignRoom room, DesignMember member, ChannelRequest request, CancellationToken aborted)
    {
        switch (request.Kind)
        {
            case ChannelRequestKind.Ops when member.ReadOnly:
                return "this key is read-only (viewer): operations are refused";
            case ChannelRequestKind.Ops:
                await room.SubmitAsync(new DesignSubmission(member, request.Ops!), aborted);
                return null;
            case ChannelRequestKind.Presence:
                room.Look(member, request.Node);
                return null;
            case ChannelRequestKind.Resync:
                room.Resync(member);
                return null;
            default:
                return "hello was sent already";
        }
    }

    private async Task WriteLoopAsync(DesignMember member)
    {
        try
        {
            await foreach (var message in member.Outbox.ReadAllAsync())
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }

            if (member.Overflow is not null && socket.State == WebSocketState.Open)
            {
                // Ends the reader's wait: the client answers the close, or the socket is aborted below.
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, member.Overflow, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>Reads one whole message into the buffer; a message over the limit reports its length past it.</summary>
    private async Task<(WebSocketMessageType Kind, int Length)> ReceiveAsync(CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }

            length += result.Count;
            if (result.EndOfMessage || length >= _buffer.Length)
            {
                return (result.MessageType, length);
            }
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived or WebSocketState.CloseSent)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), services.Clock);
            try
            {
                await socket.CloseAsync(status, reason.Length > 120 ? reason[..120] : reason, deadline.Token);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                socket.Abort();
            }
        }
    }
}
