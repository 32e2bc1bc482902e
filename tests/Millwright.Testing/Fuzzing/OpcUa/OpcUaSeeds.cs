using Millwright.OpcUa;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.Fuzzing;

/// <summary>
/// Valid server messages for the OPC UA fuzz target: whole UA-TCP chunks (ACK, ERR, OPN and MSG with each service
/// response the client reads), built with our writer the way a server would send them.
/// </summary>
internal static class OpcUaSeeds
{
    public static IReadOnlyList<byte[]> All()
    {
        var time = new DateTime(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc);
        var variants = new Variant[]
        {
            Variant.From(true), new(BuiltInType.SByte, (sbyte)-1), new(BuiltInType.Int64, -2L), Variant.From(2.5), Variant.From("text"),
            new(BuiltInType.DateTime, time), new(BuiltInType.Guid, Guid.Empty), new(BuiltInType.ByteString, new byte[] { 1, 2 }),
            new(BuiltInType.NodeId, new NodeId(2, "Machine")), new(BuiltInType.ExpandedNodeId, new ExpandedNodeId(new NodeId(1, 5u), "urn:x", 1)),
            new(BuiltInType.QualifiedName, new QualifiedName(2, "Speed")), new(BuiltInType.LocalizedText, new LocalizedText("en", "Mill")),
            new(BuiltInType.ExtensionObject, new ExtensionObject(new NodeId(0, 324u), 1, [1, 2, 3])),
            new(BuiltInType.DataValue, new DataValue(Variant.From(1), StatusCode.Good, time)),
            new(BuiltInType.DiagnosticInfo, new DiagnosticInfo(1, null, null, 2, "info", StatusCode.BadTimeout, new DiagnosticInfo(3, null, null, null, null, null, null))),
            new(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, true, [2, 3]), new(BuiltInType.String, new[] { "a", null }, true),
            new(BuiltInType.Variant, new[] { Variant.From(1), Variant.From("b") }, true),
        };

        var seeds = new List<byte[]>
        {
            Plain(TcpMessageType.Acknowledge, w =>
            {
                w.WriteUInt32(0);
                w.WriteUInt32(65536);
                w.WriteUInt32(65536);
                w.WriteUInt32(1 << 24);
                w.WriteUInt32(0);
            }),
            Plain(TcpMessageType.Error, w =>
            {
                w.WriteStatusCode(StatusCode.BadTcpMessageTooLarge);
                w.WriteString("too large");
            }),
            Response(TcpMessageType.Open, EncodingIds.OpenSecureChannelResponse, w =>
            {
                w.WriteUInt32(0);
                w.WriteUInt32(7);
                w.WriteUInt32(1);
                w.WriteDateTime(time);
                w.WriteUInt32(600_000);
                w.WriteByteString([]);
            }),
            Response(TcpMessageType.Message, EncodingIds.ReadResponse, w =>
            {
                w.WriteArray(variants, (x, v) => x.WriteDataValue(new DataValue(v, StatusCode.Good, time, time, 1, 2)));
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.BrowseResponse, w =>
            {
                w.WriteArray([0, 1], (x, i) =>
                {
                    x.WriteStatusCode(StatusCode.Good);
                    x.WriteByteString(i == 0 ? new byte[] { 9, 9 } : null);
                    x.WriteArray([1, 2], (y, _) =>
                    {
                        y.WriteNodeId(new NodeId(0, 47u));
                        y.WriteBoolean(true);
                        y.WriteExpandedNodeId(new ExpandedNodeId(new NodeId(2, "Speed")));
                        y.WriteQualifiedName(new QualifiedName(2, "Speed"));
                        y.WriteLocalizedText(new LocalizedText(null, "Speed"));
                        y.WriteEnum(2);
                        y.WriteExpandedNodeId(new ExpandedNodeId(new NodeId(0, 63u)));
                    });
                });
                w.WriteArray<DiagnosticInfo>(null, (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.TranslateBrowsePathsToNodeIdsResponse, w =>
            {
                w.WriteArray([0], (x, _) =>
                {
                    x.WriteStatusCode(StatusCode.Good);
                    x.WriteArray([0], (y, _) =>
                    {
                        y.WriteExpandedNodeId(new ExpandedNodeId(new NodeId(2, "Speed")));
                        y.WriteUInt32(uint.MaxValue);
                    });
                });
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.CallResponse, w =>
            {
                w.WriteArray([0], (x, _) =>
                {
                    x.WriteStatusCode(StatusCode.Good);
                    x.WriteArray([StatusCode.Good], (y, s) => y.WriteStatusCode(s));
                    x.WriteArray<DiagnosticInfo>([], (_, _) => { });
                    x.WriteArray([Variant.From(42.0)], (y, v) => y.WriteVariant(v));
                });
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.WriteResponse, w =>
            {
                w.WriteArray([StatusCode.Good, StatusCode.BadNodeIdUnknown], (x, s) => x.WriteStatusCode(s));
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.CreateSessionResponse, w =>
            {
                w.WriteNodeId(new NodeId(1, Guid.Empty));
                w.WriteNodeId(new NodeId(1, new byte[] { 1, 2, 3 }));
                w.WriteDouble(60000);
                w.WriteByteString(new byte[32]);
                w.WriteByteString(null);
                w.WriteArray([0], (x, _) => WriteEndpoint(x));
                w.WriteArray<byte[]>([], (_, _) => { });
                w.WriteString(null);
                w.WriteByteString(null);
                w.WriteUInt32(0);
            }),
            Response(TcpMessageType.Message, EncodingIds.ActivateSessionResponse, w =>
            {
                w.WriteByteString(new byte[32]);
                w.WriteArray([StatusCode.Good], (x, s) => x.WriteStatusCode(s));
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            Response(TcpMessageType.Message, EncodingIds.PublishResponse, w =>
            {
                w.WriteUInt32(1);
                w.WriteArray([3u, 4u], (x, n) => x.WriteUInt32(n));
                w.WriteBoolean(false);
                w.WriteUInt32(4);
                w.WriteDateTime(time);
                w.WriteArray([0], (x, _) => x.WriteExtensionObject(new NodeId(0, EncodingIds.DataChangeNotification), body =>
                {
                    body.WriteArray(variants, (y, v) =>
                    {
                        y.WriteUInt32(1);
                        y.WriteDataValue(new DataValue(v, StatusCode.Good, time));
                    });
                    body.WriteArray<DiagnosticInfo>([], (_, _) => { });
                }));
                w.WriteArray([StatusCode.Good], (x, s) => x.WriteStatusCode(s));
                w.WriteArray<DiagnosticInfo>([], (_, _) => { });
            }),
            // Last on purpose: the one seed the client refuses (a ServiceFault becomes the protocol exception).
            Response(TcpMessageType.Message, EncodingIds.ServiceFault, _ => { }, StatusCode.BadSessionIdInvalid),
        };
        return seeds;
    }

    private static void WriteEndpoint(UaWriter w)
    {
        w.WriteString("opc.tcp://127.0.0.1:4840");
        w.WriteString("urn:server");
        w.WriteString("urn:product");
        w.WriteLocalizedText(new LocalizedText(null, "Server"));
        w.WriteEnum(0);
        w.WriteString(null);
        w.WriteString(null);
        w.WriteArray(["opc.tcp://127.0.0.1:4840"], (x, s) => x.WriteString(s));
        w.WriteByteString(null);
        w.WriteEnum(1);
        w.WriteString(SecureChunk.NonePolicy);
        w.WriteArray([0, 1], (x, i) =>
        {
            x.WriteString(i == 0 ? "anonymous" : "username");
            x.WriteEnum(i);
            x.WriteString(null);
            x.WriteString(null);
            x.WriteString(null);
        });
        w.WriteString("http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary");
        w.WriteByte(0);
    }

    private static byte[] Plain(TcpMessageType type, Action<UaWriter> body)
    {
        var w = new UaWriter();
        TcpFraming.WriteHeader(w, type, TcpChunk.Final);
        body(w);
        return TcpFraming.Finish(w);
    }

    private static byte[] Response(TcpMessageType type, uint encodingId, Action<UaWriter> body, StatusCode? result = null)
    {
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, encodingId));
        w.WriteDateTime(new DateTime(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc));
        w.WriteUInt32(1);
        w.WriteStatusCode(result ?? StatusCode.Good);
        w.WriteByte(0);
        w.WriteArray(["s"], (x, s) => x.WriteString(s));
        w.WriteExtensionObject(ExtensionObject.Null);
        body(w);
        return SecureChunk.Write(type, TcpChunk.Final, 7, 1, 1, 1, w.ToArray());
    }
}
