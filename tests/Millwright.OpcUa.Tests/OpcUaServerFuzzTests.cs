using System.Net;
using System.Net.Sockets;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Server;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Tests;

/// <summary>
/// The virtual factory's server parses what clients send: mutated requests (OPN, CreateSession, ActivateSession and,
/// inside an activated session, Read, Call, CreateSubscription, CreateMonitoredItems and Publish) may only be answered
/// or end their own connection, never escape as another exception, and the server keeps serving a real client.
/// </summary>
public sealed class OpcUaServerFuzzTests
{
    private const int Cases = 600;

    [Fact]
    public async Task Mutated_client_messages_end_only_their_own_connection_and_the_server_keeps_serving()
    {
        await using var server = new OpcUaServer(new IPEndPoint(IPAddress.Loopback, 0));
        server.Space.Set(new NodeId(1, "Speed"), Variant.From(3.5));
        server.Space.AddMethod(new NodeId(1, "Job"), new NodeId(1, "Job.Start"), _ => new MethodOutcome(StatusCode.Good, [Variant.From(true)]));
        server.Start();
        var random = new Random(20261206);
        var sent = 0;
        for (var i = 0; i < Cases; i++)
        {
            sent += await OneCaseAsync(server, random, i % 9) ? 1 : 0;
        }

        // Every case gets as far as its mutated message (the start before it is valid).
        Assert.Equal(Cases, sent);

        Assert.True(server.Faults == 0, $"{server.Faults} connections faulted; the last with {server.LastFault}");
        await using var client = await OpcUaClient.ConnectAsync(new OpcUaClientOptions(new Uri(server.Endpoint)));
        Assert.Equal(3.5, (await client.ReadAsync([(new NodeId(1, "Speed"), AttributeId.Value)]))[0].Value.Value);
    }

    /// <summary>A valid start up to the message to mutate (<paramref name="target"/>: 0 OPN, 1 CreateSession, 2 ActivateSession, 3+ a service), then the mutated one.</summary>
    private static async Task<bool> OneCaseAsync(OpcUaServer server, Random random, int target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint);
        await using var stream = new NetworkStream(socket);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var sequence = 1u;
        try
        {
            await stream.WriteAsync(TcpFraming.Hello(TransportLimits.Default, server.Endpoint), patience.Token);
            await ReadMessageAsync(stream, patience.Token);
            var open = Request(EncodingIds.OpenSecureChannelRequest, NodeId.Null, w =>
            {
                w.WriteUInt32(0);
                w.WriteEnum(0);
                w.WriteEnum(1);
                w.WriteByteString([]);
                w.WriteUInt32(600_000);
            });
            if (target == 0)
            {
                await stream.WriteAsync(Mutate(SecureChunk.Write(TcpMessageType.Open, TcpChunk.Final, 0, 0, sequence, 1, open), random), patience.Token);
                return await DrainAsync(stream);
            }

            await stream.WriteAsync(SecureChunk.Write(TcpMessageType.Open, TcpChunk.Final, 0, 0, sequence++, 1, open), patience.Token);
            var opened = new UaReader((await ReadChunkAsync(stream, patience.Token)).Payload);
            opened.ReadNodeId();
            ResponseHeader.Read(opened);
            opened.ReadUInt32();
            var (channel, token) = (opened.ReadUInt32(), opened.ReadUInt32());
            byte[] Message(byte[] body) => SecureChunk.Write(TcpMessageType.Message, TcpChunk.Final, channel, token, sequence++, sequence, body);

            var create = Request(EncodingIds.CreateSessionRequest, NodeId.Null,
                w => SessionMessages.WriteCreateSession(w, server.Endpoint, "fuzz", TimeSpan.FromMinutes(1), 1 << 20, new byte[32], null));
            if (target == 1)
            {
                await stream.WriteAsync(Mutate(Message(create), random), patience.Token);
                return await DrainAsync(stream);
            }

            await stream.WriteAsync(Message(create), patience.Token);
            var created = new UaReader((await ReadChunkAsync(stream, patience.Token)).Payload);
            created.ReadNodeId();
            ResponseHeader.Read(created);
            created.ReadNodeId();
            var authentication = created.ReadNodeId();
            var activate = Request(EncodingIds.ActivateSessionRequest, authentication, w => SessionMessages.WriteActivateSession(w, IdentityTokens.Anonymous("anonymous"), null));
            if (target == 2)
            {
                await stream.WriteAsync(Mutate(Message(activate), random), patience.Token);
                return await DrainAsync(stream);
            }

            await stream.WriteAsync(Message(activate), patience.Token);
            await ReadChunkAsync(stream, patience.Token);
            var service = (target % 5) switch
            {
                0 => Request(EncodingIds.ReadRequest, authentication, w => AttributeMessages.WriteRead(w, [(new NodeId(1, "Speed"), AttributeId.Value)])),
                1 => Request(EncodingIds.CallRequest, authentication,
                    w => AttributeMessages.WriteCall(w, [(new NodeId(1, "Job"), new NodeId(1, "Job.Start"), [Variant.From(7u), Variant.From("P")])])),
                2 => Request(EncodingIds.CreateSubscriptionRequest, authentication, w => SubscriptionMessages.WriteCreateSubscription(w, TimeSpan.FromMilliseconds(100), 2)),
                3 => Request(EncodingIds.CreateMonitoredItemsRequest, authentication,
                    w => SubscriptionMessages.WriteCreateMonitoredItems(w, 1, [(1, new MonitoredItemRequest(new NodeId(1, "Speed"), TimeSpan.FromMilliseconds(100), 1, 0.5))])),
                _ => Request(EncodingIds.PublishRequest, authentication, w => SubscriptionMessages.WritePublish(w, [(1, 1)])),
            };
            await stream.WriteAsync(Mutate(Message(service), random), patience.Token);
            return await DrainAsync(stream);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or OpcUaProtocolException or EndOfStreamException)
        {
            // The valid start was refused or cut: the test counts it as a case that did not reach its mutation.
            return false;
        }
    }

    private static byte[] Request(uint type, NodeId authentication, Action<UaWriter> body)
    {
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, type));
        RequestHeader.Write(w, authentication, DateTime.UtcNow, 1, TimeSpan.FromSeconds(5));
        body(w);
        return w.ToArray();
    }

    /// <summary>Flips, sets or removes bytes after the 8-byte UA-TCP header (whose size is kept right), or cuts the message short.</summary>
    private static byte[] Mutate(byte[] message, Random random)
    {
        var bytes = message.ToList();
        for (var n = random.Next(1, 5); n > 0 && bytes.Count > 9; n--)
        {
            var at = random.Next(8, bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes[at] = 0xFF; break;
            }
        }

        var result = bytes.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)result.Length);
        return result;
    }

    private static async Task<(TcpMessageType Type, byte Chunk, byte[] Body)> ReadMessageAsync(NetworkStream stream, CancellationToken ct)
    {
        var header = new byte[8];
        await stream.ReadExactlyAsync(header, ct);
        var (type, chunk, length) = TcpFraming.ParseHeader(header, 1 << 20);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, ct);
        return (type, chunk, body);
    }

    private static async Task<SecureChunk> ReadChunkAsync(NetworkStream stream, CancellationToken ct)
    {
        var (type, chunk, body) = await ReadMessageAsync(stream, ct);
        return type is TcpMessageType.Open or TcpMessageType.Message
            ? SecureChunk.Parse(new TcpChunk(type, chunk, body))
            : throw new OpcUaProtocolException($"a {type} message");
    }

    /// <summary>Reads what the server answers to the mutated message for a moment (its answer or its close).</summary>
    private static async Task<bool> DrainAsync(NetworkStream stream)
    {
        using var moment = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, moment.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The server still holds the connection (a Publish waiting) or reset it: both allowed.
        }

        return true;
    }
}
