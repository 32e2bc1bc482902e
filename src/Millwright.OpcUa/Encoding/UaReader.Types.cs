namespace Millwright.OpcUa.Encoding;

/// <summary>The structured built-in types: NodeId, ExpandedNodeId, names, texts, ExtensionObject, Variant, DataValue, DiagnosticInfo.</summary>
internal sealed partial class UaReader
{
    /// <summary>Encoding byte 0x00 two-byte, 0x01 four-byte, 0x02 numeric, 0x03 string, 0x04 GUID, 0x05 opaque (5.2.2.9).</summary>
    public NodeId ReadNodeId() => ReadNodeId(ReadByte());

    /// <summary>The NodeId's encoding byte with flags 0x80 (NamespaceUri follows) and 0x40 (ServerIndex follows), 5.2.2.10.</summary>
    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeId((byte)(encoding & 0x3F));
        var uri = (encoding & 0x80) != 0 ? ReadString() : null;
        var server = (encoding & 0x40) != 0 ? ReadUInt32() : 0;
        return new ExpandedNodeId(nodeId, uri, server);
    }

    public QualifiedName ReadQualifiedName() => new(ReadUInt16(), ReadString());

    /// <summary>Mask 0x01 locale, 0x02 text (5.2.2.14).</summary>
    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        if ((mask & ~0x03) != 0)
        {
            throw new OpcUaProtocolException($"LocalizedText mask 0x{mask:X2} has unknown bits.");
        }

        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return new LocalizedText(locale, text);
    }

    /// <summary>TypeId, then 0x00 no body, 0x01 ByteString body, 0x02 XmlElement body (5.2.2.15). The body stays bytes here.</summary>
    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        return encoding switch
        {
            ExtensionObject.NoBody => new ExtensionObject(typeId, encoding, null),
            ExtensionObject.BinaryBody => new ExtensionObject(typeId, encoding, ReadByteString()),
            ExtensionObject.XmlBody => new ExtensionObject(typeId, encoding, ReadByteString()),
            _ => throw new OpcUaProtocolException($"ExtensionObject encoding 0x{encoding:X2} is neither 0, 1 nor 2."),
        };
    }

    /// <summary>Mask 0x01 value, 0x02 status, 0x04 source time, 0x10 source ps, 0x08 server time, 0x20 server ps, in that order (5.2.2.17).</summary>
    public DataValue ReadDataValue()
    {
        Enter();
        var mask = ReadByte();
        if ((mask & 0xC0) != 0)
        {
            throw new OpcUaProtocolException($"DataValue mask 0x{mask:X2} has unknown bits.");
        }

        var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
        var status = (mask & 0x02) != 0 ? ReadStatusCode() : StatusCode.Good;
        DateTime? source = (mask & 0x04) != 0 ? ReadDateTime() : null;
        var sourcePs = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
        DateTime? server = (mask & 0x08) != 0 ? ReadDateTime() : null;
        var serverPs = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
        Leave();
        return new DataValue(value, status, source, server, sourcePs, serverPs);
    }

    /// <summary>Mask bits 0-5 the type, 0x80 array, 0x40 dimensions (5.2.2.16). A scalar Variant in a Variant is not allowed.</summary>
    public Variant ReadVariant()
    {
        Enter();
        var mask = ReadByte();
        var type = (BuiltInType)(mask & 0x3F);
        if ((byte)type > (byte)BuiltInType.DiagnosticInfo)
        {
            throw new OpcUaProtocolException($"Variant type {(byte)type} is not a built-in type.");
        }

        Variant result;
        if ((mask & 0x80) == 0)
        {
            if ((mask & 0x40) != 0 || type == BuiltInType.Variant)
            {
                throw new OpcUaProtocolException($"Variant mask 0x{mask:X2}: dimensions or a nested Variant without an array.");
            }

            result = type == BuiltInType.Null ? Variant.Null : new Variant(type, ReadScalar(type));
        }
        else
        {
            if (type == BuiltInType.Null)
            {
                throw new OpcUaProtocolException("a Variant array of type Null.");
            }

            var values = ReadTypedArray(type);
            int[]? dimensions = null;
            if ((mask & 0x40) != 0)
            {
                dimensions = ReadArray(r => r.ReadInt32()) ?? [];
                long product = 1;
                foreach (var d in dimensions)
                {
                    product = d < 0 ? -1 : Math.Min(product * d, int.MaxValue);
                }

                if (dimensions.Length == 0 || product != (values?.Length ?? 0))
                {
                    throw new OpcUaProtocolException($"Variant dimensions [{string.Join(',', dimensions)}] do not match its {values?.Length ?? 0} elements.");
                }
            }

            result = new Variant(type, values, true, dimensions);
        }

        Leave();
        return result;
    }

    /// <summary>Mask, then SymbolicId, NamespaceUri, Locale, LocalizedText, AdditionalInfo, InnerStatusCode, InnerDiagnosticInfo (5.2.2.12).</summary>
    public DiagnosticInfo ReadDiagnosticInfo()
    {
        Enter();
        var mask = ReadByte();
        if ((mask & 0x80) != 0)
        {
            throw new OpcUaProtocolException($"DiagnosticInfo mask 0x{mask:X2} has unknown bits.");
        }

        int? symbolic = (mask & 0x01) != 0 ? ReadInt32() : null;
        int? ns = (mask & 0x02) != 0 ? ReadInt32() : null;
        int? locale = (mask & 0x08) != 0 ? ReadInt32() : null;
        int? text = (mask & 0x04) != 0 ? ReadInt32() : null;
        var info = (mask & 0x10) != 0 ? ReadString() : null;
        StatusCode? inner = (mask & 0x20) != 0 ? ReadStatusCode() : null;
        var innerInfo = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null;
        Leave();
        return new DiagnosticInfo(symbolic, ns, locale, text, info, inner, innerInfo);
    }

    public object? ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadBoolean(),
        BuiltInType.SByte => ReadSByte(),
        BuiltInType.Byte => ReadByte(),
        BuiltInType.Int16 => ReadInt16(),
        BuiltInType.UInt16 => ReadUInt16(),
        BuiltInType.Int32 => ReadInt32(),
        BuiltInType.UInt32 => ReadUInt32(),
        BuiltInType.Int64 => ReadInt64(),
        BuiltInType.UInt64 => ReadUInt64(),
        BuiltInType.Float => ReadFloat(),
        BuiltInType.Double => ReadDouble(),
        BuiltInType.String or BuiltInType.XmlElement => ReadString(),
        BuiltInType.DateTime => ReadDateTime(),
        BuiltInType.Guid => ReadGuid(),
        BuiltInType.ByteString => ReadByteString(),
        BuiltInType.NodeId => ReadNodeId(),
        BuiltInType.ExpandedNodeId => ReadExpandedNodeId(),
        BuiltInType.StatusCode => ReadStatusCode(),
        BuiltInType.QualifiedName => ReadQualifiedName(),
        BuiltInType.LocalizedText => ReadLocalizedText(),
        BuiltInType.ExtensionObject => ReadExtensionObject(),
        BuiltInType.DataValue => ReadDataValue(),
        BuiltInType.Variant => ReadVariant(),
        BuiltInType.DiagnosticInfo => ReadDiagnosticInfo(),
        _ => throw new OpcUaProtocolException($"no scalar of type {type}."),
    };

    private Array? ReadTypedArray(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadArray(r => r.ReadBoolean()),
        BuiltInType.SByte => ReadArray(r => r.ReadSByte()),
        BuiltInType.Byte => ReadArray(r => r.ReadByte()),
        BuiltInType.Int16 => ReadArray(r => r.ReadInt16()),
        BuiltInType.UInt16 => ReadArray(r => r.ReadUInt16()),
        BuiltInType.Int32 => ReadArray(r => r.ReadInt32()),
        BuiltInType.UInt32 => ReadArray(r => r.ReadUInt32()),
        BuiltInType.Int64 => ReadArray(r => r.ReadInt64()),
        BuiltInType.UInt64 => ReadArray(r => r.ReadUInt64()),
        BuiltInType.Float => ReadArray(r => r.ReadFloat()),
        BuiltInType.Double => ReadArray(r => r.ReadDouble()),
        BuiltInType.DateTime => ReadArray(r => r.ReadDateTime()),
        BuiltInType.Guid => ReadArray(r => r.ReadGuid()),
        BuiltInType.StatusCode => ReadArray(r => r.ReadStatusCode()),
        BuiltInType.String or BuiltInType.XmlElement => ReadArray(r => r.ReadString()),
        BuiltInType.ByteString => ReadArray(r => r.ReadByteString()),
        BuiltInType.NodeId => ReadArray(r => r.ReadNodeId()),
        BuiltInType.ExpandedNodeId => ReadArray(r => r.ReadExpandedNodeId()),
        BuiltInType.QualifiedName => ReadArray(r => r.ReadQualifiedName()),
        BuiltInType.LocalizedText => ReadArray(r => r.ReadLocalizedText()),
        BuiltInType.ExtensionObject => ReadArray(r => r.ReadExtensionObject()),
        BuiltInType.DataValue => ReadArray(r => r.ReadDataValue()),
        BuiltInType.Variant => ReadArray(r => r.ReadVariant()),
        _ => ReadArray(r => r.ReadDiagnosticInfo()),
    };

    private NodeId ReadNodeId(byte encoding) => encoding switch
    {
        0x00 => new NodeId(0, ReadByte()),
        0x01 => new NodeId(ReadByte(), ReadUInt16()),
        0x02 => new NodeId(ReadUInt16(), ReadUInt32()),
        0x03 => new NodeId(ReadUInt16(), ReadString() ?? ""),
        0x04 => new NodeId(ReadUInt16(), ReadGuid()),
        0x05 => new NodeId(ReadUInt16(), ReadByteString() ?? []),
        _ => throw new OpcUaProtocolException($"NodeId encoding 0x{encoding:X2} is not defined."),
    };
}
