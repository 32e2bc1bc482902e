namespace Millwright.Sparkplug;

/// <summary>
/// Walks the protobuf wire format of a Sparkplug payload before Google.Protobuf parses it, and refuses any
/// length prefix that runs past the bytes that enclose it. Google.Protobuf 3.25 (up to 3.34,
/// protocolbuffers/protobuf#26856) overflows its limit arithmetic on nested lengths close to int.MaxValue and
/// then throws IndexOutOfRangeException or ArgumentOutOfRangeException instead of a parse error; our fuzzer
/// found both. With every length checked here, those lengths never reach it. Groups (wire types 3 and 4),
/// which Sparkplug does not use, are refused too.
/// </summary>
internal static class WireFormatGuard
{
    // Deeper than this is refused; Google.Protobuf's own recursion limit is 100.
    private const int MaxDepth = 100;

    private enum Kind
    {
        Opaque, Payload, Metric, MetaData, PropertySet, PropertyValue, PropertySetList, DataSet, Row, DataSetValue,
        Template, Parameter,
    }

    public static void Check(ReadOnlySpan<byte> payload) => Walk(payload, Kind.Payload, 0);

    // Which field numbers of which message hold a nested message (6.4.1). Extension messages only have unknown
    // fields; walking them as Opaque still checks their lengths, since Google.Protobuf parses them too.
    private static Kind? Child(Kind kind, uint field) => (kind, field) switch
    {
        (Kind.Payload, 2) => Kind.Metric,
        (Kind.Metric, 8) => Kind.MetaData,
        (Kind.Metric, 9) => Kind.PropertySet,
        (Kind.Metric, 17) => Kind.DataSet,
        (Kind.Metric, 18) => Kind.Template,
        (Kind.Metric, 19) => Kind.Opaque,
        (Kind.Template, 2) => Kind.Metric,
        (Kind.Template, 3) => Kind.Parameter,
        (Kind.Parameter, 9) => Kind.Opaque,
        (Kind.DataSet, 4) => Kind.Row,
        (Kind.Row, 1) => Kind.DataSetValue,
        (Kind.DataSetValue, 7) => Kind.Opaque,
        (Kind.PropertySet, 2) => Kind.PropertyValue,
        (Kind.PropertySetList, 1) => Kind.PropertySet,
        (Kind.PropertyValue, 9) => Kind.PropertySet,
        (Kind.PropertyValue, 10) => Kind.PropertySetList,
        (Kind.PropertyValue, 11) => Kind.Opaque,
        _ => null,
    };

    private static void Walk(ReadOnlySpan<byte> data, Kind kind, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Invalid($"messages nested deeper than {MaxDepth}");
        }

        var pos = 0;
        while (pos < data.Length)
        {
            var tag = ReadVarint(data, ref pos);
            var field = tag >> 3;
            if (field is 0 or > 0x1FFF_FFFF)
            {
                throw Invalid($"field number {field}");
            }

            switch (tag & 7)
            {
                case 0:
                    ReadVarint(data, ref pos);
                    break;
                case 1:
                    Skip(data, ref pos, 8);
                    break;
                case 5:
                    Skip(data, ref pos, 4);
                    break;
                case 2:
                    var length = ReadVarint(data, ref pos);
                    if (length > (ulong)(data.Length - pos))
                    {
                        throw Invalid($"field {field} claims {length} bytes where {data.Length - pos} remain");
                    }

                    var inner = data.Slice(pos, (int)length);
                    pos += (int)length;
                    if (kind != Kind.Opaque && Child(kind, (uint)field) is { } child)
                    {
                        Walk(inner, child, depth + 1);
                    }

                    break;
                default:
                    throw Invalid($"wire type {tag & 7} (groups are not used by Sparkplug B)");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length)
            {
                throw Invalid("truncated varint");
            }

            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Invalid("varint longer than 10 bytes");
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int pos, int count)
    {
        if (data.Length - pos < count)
        {
            throw Invalid("truncated fixed-width field");
        }

        pos += count;
    }

    private static SparkplugProtocolException Invalid(string what) =>
        new($"The payload is not valid protobuf: {what}.");
}
