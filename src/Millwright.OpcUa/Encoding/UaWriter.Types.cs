namespace Millwright.OpcUa.Encoding;

internal sealed partial class UaWriter
{
    /// <summary>The smallest encoding that holds the id (5.2.2.9).</summary>
    public void WriteNodeId(NodeId id, byte flags = 0)
    {
        ArgumentNullException.ThrowIfNull(id);
        switch (id.Type)
        {
            case NodeIdType.Numeric when id.NamespaceIndex == 0 && id.Numeric <= byte.MaxValue:
                WriteByte(flags);
                WriteByte((byte)id.Numeric);
                break;
            case NodeIdType.Numeric when id.NamespaceIndex <= byte.MaxValue && id.Numeric <= ushort.MaxValue:
                WriteByte((byte)(0x01 | flags));
                WriteByte((byte)id.NamespaceIndex);
                WriteUInt16((ushort)id.Numeric);
                break;
            case NodeIdType.Numeric:
                WriteByte((byte)(0x02 | flags));
                WriteUInt16(id.NamespaceIndex);
                WriteUInt32(id.Numeric);
                break;
            case NodeIdType.String:
                WriteByte((byte)(0x03 | flags));
                WriteUInt16(id.NamespaceIndex);
                WriteString(id.Text);
                break;
            case NodeIdType.Guid:
                WriteByte((byte)(0x04 | flags));
                WriteUInt16(id.NamespaceIndex);
                WriteGuid(id.Guid);
                break;
            default:
                WriteByte((byte)(0x05 | flags));
                WriteUInt16(id.NamespaceIndex);
                WriteByteString(id.Opaque ?? []);
                break;
        }
    }

    public void WriteExpandedNodeId(ExpandedNodeId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        WriteNodeId(id.NodeId, (byte)((id.NamespaceUri is null ? 0 : 0x80) | (id.ServerIndex == 0 ? 0 : 0x40)));
        if (id.NamespaceUri is not null)
        {
            WriteString(id.NamespaceUri);
        }

        if (id.ServerIndex != 0)
        {
            WriteUInt32(id.ServerIndex);
        }
    }

    public void WriteQualifiedName(QualifiedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        WriteUInt16(name.NamespaceIndex);
        WriteString(name.Name);
    }

    public void WriteLocalizedText(LocalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteByte((byte)((text.Locale is null ? 0 : 0x01) | (text.Text is null ? 0 : 0x02)));
        if (text.Locale is not null)
        {
            WriteString(text.Locale);
        }

        if (text.Text is not null)
        {
            WriteString(text.Text);
        }
    }

    public void WriteExtensionObject(ExtensionObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteNodeId(value.TypeId);
        WriteByte(value.Body is null ? ExtensionObject.NoBody : value.Encoding);
        if (value.Body is not null)
        {
            WriteByteString(value.Body);
        }
    }

    /// <summary>An ExtensionObject whose binary body is written by <paramref name="body"/> (its length is known after).</summary>
    public void WriteExtensionObject(NodeId typeId, Action<UaWriter> body)
    {
        var inner = new UaWriter();
        body(inner);
        WriteExtensionObject(new ExtensionObject(typeId, ExtensionObject.BinaryBody, inner.ToArray()));
    }

    public void WriteDataValue(DataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mask = (byte)((value.Value.Type == BuiltInType.Null ? 0 : 0x01) | (value.Status == StatusCode.Good ? 0 : 0x02)
            | (value.SourceTimestamp is null ? 0 : 0x04) | (value.ServerTimestamp is null ? 0 : 0x08)
            | (value.SourcePicoseconds == 0 ? 0 : 0x10) | (value.ServerPicoseconds == 0 ? 0 : 0x20));
        WriteByte(mask);
        if ((mask & 0x01) != 0)
        {
            WriteVariant(value.Value);
        }

        if ((mask & 0x02) != 0)
        {
            WriteStatusCode(value.Status);
        }

        if (value.SourceTimestamp is { } source)
        {
            WriteDateTime(source);
        }

        if ((mask & 0x10) != 0)
        {
            WriteUInt16(value.SourcePicoseconds);
        }

        if (value.ServerTimestamp is { } server)
        {
            WriteDateTime(server);
        }

        if ((mask & 0x20) != 0)
        {
            WriteUInt16(value.ServerPicoseconds);
        }
    }

    public void WriteVariant(Variant value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Type == BuiltInType.Null)
        {
            WriteByte(0);
            return;
        }

        if (!value.IsArray)
        {
            WriteByte((byte)value.Type);
            WriteScalar(value.Type, value.Value);
            return;
        }

        var array = value.Value as Array;
        WriteByte((byte)((byte)value.Type | 0x80 | (value.Dimensions is null ? 0 : 0x40)));
        if (array is null)
        {
            WriteInt32(-1);
        }
        else
        {
            WriteInt32(array.Length);
            foreach (var item in array)
            {
                WriteScalar(value.Type, item);
            }
        }

        if (value.Dimensions is { } dimensions)
        {
            WriteArray(dimensions, (w, d) => w.WriteInt32(d));
        }
    }

    public void WriteDiagnosticInfo(DiagnosticInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        WriteByte((byte)((info.SymbolicId is null ? 0 : 0x01) | (info.NamespaceUri is null ? 0 : 0x02) | (info.LocalizedText is null ? 0 : 0x04)
            | (info.Locale is null ? 0 : 0x08) | (info.AdditionalInfo is null ? 0 : 0x10) | (info.InnerStatusCode is null ? 0 : 0x20) | (info.Inner is null ? 0 : 0x40)));
        foreach (var field in new[] { info.SymbolicId, info.NamespaceUri, info.Locale, info.LocalizedText })
        {
            if (field is { } v)
            {
                WriteInt32(v);
            }
        }

        if (info.AdditionalInfo is not null)
        {
            WriteString(info.AdditionalInfo);
        }

        if (info.InnerStatusCode is { } inner)
        {
            WriteStatusCode(inner);
        }

        if (info.Inner is not null)
        {
            WriteDiagnosticInfo(info.Inner);
        }
    }

    /// <summary>A value of the CLR type <see cref="Variant"/> documents for the built-in type; anything else is the caller's bug.</summary>
    public void WriteScalar(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.Boolean: WriteBoolean((bool)value!); break;
            case BuiltInType.SByte: WriteSByte((sbyte)value!); break;
            case BuiltInType.Byte: WriteByte((byte)value!); break;
            case BuiltInType.Int16: WriteInt16((short)value!); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)value!); break;
            case BuiltInType.Int32: WriteInt32((int)value!); break;
            case BuiltInType.UInt32: WriteUInt32((uint)value!); break;
            case BuiltInType.Int64: WriteInt64((long)value!); break;
            case BuiltInType.UInt64: WriteUInt64((ulong)value!); break;
            case BuiltInType.Float: WriteFloat((float)value!); break;
            case BuiltInType.Double: WriteDouble((double)value!); break;
            case BuiltInType.String or BuiltInType.XmlElement: WriteString((string?)value); break;
            case BuiltInType.DateTime: WriteDateTime((DateTime)value!); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId)value!); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId)value!); break;
            case BuiltInType.StatusCode: WriteStatusCode((StatusCode)value!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName)value!); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText)value!); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject)value!); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue)value!); break;
            case BuiltInType.Variant: WriteVariant((Variant)value!); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo)value!); break;
            default: throw new ArgumentException($"no scalar of type {type}", nameof(type));
        }
    }
}
