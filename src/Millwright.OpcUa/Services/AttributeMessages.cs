using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>Bodies of Read, Write (OPC 10000-4 5.10) and Call (5.11).</summary>
internal static class AttributeMessages
{
    /// <summary>MaxAge 0 (a fresh value), TimestampsToReturn Both (2), NodesToRead: node, attribute, no index range or encoding.</summary>
    public static void WriteRead(UaWriter w, IReadOnlyList<(NodeId Node, uint Attribute)> nodes)
    {
        w.WriteDouble(0);
        w.WriteEnum(2);
        w.WriteArray(nodes, (x, n) =>
        {
            x.WriteNodeId(n.Node);
            x.WriteUInt32(n.Attribute);
            x.WriteString(null);
            x.WriteQualifiedName(new QualifiedName(0, null));
        });
    }

    public static IReadOnlyList<DataValue> ReadRead(UaReader r)
    {
        var values = r.ReadList(x => x.ReadDataValue());
        r.ReadList(x => x.ReadDiagnosticInfo());
        return values;
    }

    /// <summary>NodesToWrite: node, Value attribute, no index range, the value (no timestamps: many servers refuse them).</summary>
    public static void WriteWrite(UaWriter w, IReadOnlyList<(NodeId Node, Variant Value)> writes)
    {
        w.WriteArray(writes, (x, n) =>
        {
            x.WriteNodeId(n.Node);
            x.WriteUInt32(AttributeId.Value);
            x.WriteString(null);
            x.WriteDataValue(DataValue.Of(n.Value));
        });
    }

    public static IReadOnlyList<StatusCode> ReadStatuses(UaReader r)
    {
        var results = r.ReadList(x => x.ReadStatusCode());
        r.ReadList(x => x.ReadDiagnosticInfo());
        return results;
    }

    /// <summary>MethodsToCall: ObjectId, MethodId, InputArguments.</summary>
    public static void WriteCall(UaWriter w, IReadOnlyList<(NodeId Object, NodeId Method, IReadOnlyList<Variant> Arguments)> calls)
    {
        w.WriteArray(calls, (x, c) =>
        {
            x.WriteNodeId(c.Object);
            x.WriteNodeId(c.Method);
            x.WriteArray(c.Arguments, (y, v) => y.WriteVariant(v));
        });
    }

    public static IReadOnlyList<CallResult> ReadCall(UaReader r)
    {
        var results = r.ReadList(x =>
        {
            var status = x.ReadStatusCode();
            var inputs = x.ReadList(y => y.ReadStatusCode());
            x.ReadList(y => y.ReadDiagnosticInfo());
            return new CallResult(status, inputs, x.ReadList(y => y.ReadVariant()));
        });
        r.ReadList(x => x.ReadDiagnosticInfo());
        return results;
    }
}
