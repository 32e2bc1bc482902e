using Millwright.OpcUa;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.Fuzzing;

/// <summary>
/// `opcua`: mutated server messages through the client's whole decoding path: UA-TCP header, ACK/ERR, secure
/// chunk headers, chunk assembly, the response header and the body reader of the service the encoding id names.
/// Only <see cref="OpcUaProtocolException"/> may come out.
/// </summary>
internal sealed class OpcUaFuzzing : IFuzzTarget
{
    public string Name => "opcua";

    public string Description => "OPC UA client decoder (UA-TCP chunks, secure channel headers, UA Binary service responses)";

    public IFuzzWorker CreateWorker(int seed) => new Worker(seed);

    /// <summary>Decodes one message as the client would; true when it decoded, false when refused with the protocol exception.</summary>
    public static bool Decode(byte[] input)
    {
        try
        {
            if (input.Length < TcpFraming.HeaderSize)
            {
                throw new OpcUaProtocolException("shorter than a UA-TCP header");
            }

            var (type, chunkType, length) = TcpFraming.ParseHeader(input.AsSpan(0, TcpFraming.HeaderSize), 1 << 20);
            if (length != input.Length - TcpFraming.HeaderSize)
            {
                throw new OpcUaProtocolException("the size field disagrees with the bytes");
            }

            var body = input[TcpFraming.HeaderSize..];
            switch (type)
            {
                case TcpMessageType.Acknowledge:
                    TcpFraming.ParseAcknowledge(body);
                    return true;
                case TcpMessageType.Error:
                    TcpFraming.ParseError(body, "fuzz");
                    return true;
                case TcpMessageType.Open or TcpMessageType.Message or TcpMessageType.Close:
                    var chunk = SecureChunk.Parse(new TcpChunk(type, chunkType, body));
                    var message = new ChunkAssembler(TransportLimits.Default).Add(chunk);
                    if (message is { Body: { } whole })
                    {
                        DecodeResponse(whole);
                    }

                    return true;
                default:
                    throw new OpcUaProtocolException($"{type} is not sent by servers");
            }
        }
        catch (OpcUaProtocolException)
        {
            return false;
        }
    }

    internal static void DecodeResponse(byte[] body)
    {
        var id = new UaReader(body).ReadNodeId();
        var expected = id.Type == NodeIdType.Numeric ? id.Numeric : 0;
        Action<UaReader> read = expected switch
        {
            EncodingIds.OpenSecureChannelResponse => r =>
            {
                r.ReadUInt32();
                r.ReadUInt32();
                r.ReadUInt32();
                r.ReadDateTime();
                r.ReadUInt32();
                r.ReadByteString();
            },
            EncodingIds.ReadResponse => r => AttributeMessages.ReadRead(r),
            EncodingIds.WriteResponse => r => AttributeMessages.ReadStatuses(r),
            EncodingIds.CallResponse => r => AttributeMessages.ReadCall(r),
            EncodingIds.BrowseResponse or EncodingIds.BrowseNextResponse => r => ViewMessages.ReadBrowseResults(r),
            EncodingIds.TranslateBrowsePathsToNodeIdsResponse => r => ViewMessages.ReadTranslate(r),
            EncodingIds.CreateSessionResponse => r => SessionMessages.ReadCreateSession(r),
            EncodingIds.ActivateSessionResponse => r => SessionMessages.ReadActivateSession(r),
            EncodingIds.CreateSubscriptionResponse => r => SubscriptionMessages.ReadCreateSubscription(r),
            EncodingIds.CreateMonitoredItemsResponse => r => SubscriptionMessages.ReadCreateMonitoredItems(r),
            EncodingIds.PublishResponse => r => SubscriptionMessages.ReadPublish(r),
            EncodingIds.RepublishResponse => r => SubscriptionMessages.ReadNotificationMessage(r),
            _ => _ => { },
        };
        var (reader, _) = RequestHeader.ReadResponse(body, expected, "fuzz");
        read(reader);
    }

    private sealed class Worker(int seed) : IFuzzWorker
    {
        private readonly MutationEngine _engine = new(OpcUaSeeds.All(), seed);
        private long _decoded;
        private long _refused;

        public FuzzCase Current { get; private set; } = new([], "");

        public long Cases { get; private set; }

        public void RunOne()
        {
            var (_, input) = _engine.Next();
            // Half the cases keep an honest size field, so the mutations reach past the header check.
            if (Cases % 2 == 0 && input.Length >= TcpFraming.HeaderSize)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(4), (uint)input.Length);
            }

            Current = new FuzzCase(input, "");
            if (Decode(input))
            {
                _decoded++;
            }
            else
            {
                _refused++;
            }

            Cases++;
        }

        public void Replay(FuzzCase saved) => Decode(saved.Input);

        public string Summary() => $"cases {Cases}, decoded {_decoded}, refused {_refused}";
    }
}
