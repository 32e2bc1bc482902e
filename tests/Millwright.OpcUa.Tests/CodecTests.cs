using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Tests;

/// <summary>UA Binary (OPC 10000-6 5.2): the specification's byte examples, round trips of every built-in type, and refusals.</summary>
public sealed class CodecTests
{
    [Theory]
    [InlineData("i=72", "0048")] // two-byte (5.2.2.9, Table 9 example)
    [InlineData("ns=5;i=1025", "01050104")] // four-byte
    [InlineData("ns=1;s=Hot水", "03010006000000486F74E6B0B4")] // string, UTF-8
    [InlineData("ns=2;i=70000", "02020070110100")]
    public void Node_ids_encode_as_the_specification_shows(string text, string hex)
    {
        var w = new UaWriter();
        w.WriteNodeId(NodeId.Parse(text));

        Assert.Equal(hex, Convert.ToHexString(w.ToArray()));
        Assert.Equal(NodeId.Parse(text), new UaReader(Convert.FromHexString(hex)).ReadNodeId());
    }

    [Fact]
    public void Node_ids_parse_and_print_in_the_text_form()
    {
        var guid = NodeId.Parse("ns=3;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63");

        Assert.Equal(NodeIdType.Guid, guid.Type);
        Assert.Equal("ns=1;s=Machine/Speed", NodeId.Parse("ns=1;s=Machine/Speed").ToString());
        Assert.Equal("i=85", NodeId.Parse("i=85").ToString());
        Assert.Equal("ns=1;b=AQID", NodeId.Parse("ns=1;b=AQID").ToString());
        Assert.False(NodeId.TryParse("ns=x;i=1", out _));
        Assert.False(NodeId.TryParse("q=1", out _));
    }

    [Fact]
    public void Every_built_in_scalar_and_array_round_trips_through_a_variant()
    {
        var time = new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc);
        var values = new Variant[]
        {
            new(BuiltInType.Boolean, true), new(BuiltInType.SByte, (sbyte)-5), new(BuiltInType.Byte, (byte)200),
            new(BuiltInType.Int16, (short)-1234), new(BuiltInType.UInt16, (ushort)54321), new(BuiltInType.Int32, -123456),
            new(BuiltInType.UInt32, 4_000_000_000u), new(BuiltInType.Int64, -2L), new(BuiltInType.UInt64, ulong.MaxValue),
            new(BuiltInType.Float, 1.5f), new(BuiltInType.Double, 3.25), new(BuiltInType.String, "Grüße"), new(BuiltInType.String, null),
            new(BuiltInType.DateTime, time), new(BuiltInType.Guid, Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63")),
            new(BuiltInType.ByteString, new byte[] { 1, 2, 250 }), new(BuiltInType.XmlElement, "<a/>"),
            new(BuiltInType.NodeId, NodeId.Parse("ns=1;s=Machine")), new(BuiltInType.ExpandedNodeId, new ExpandedNodeId(new NodeId(2, 5u), "urn:x", 3)),
            new(BuiltInType.StatusCode, StatusCode.BadNodeIdUnknown), new(BuiltInType.QualifiedName, new QualifiedName(1, "Spindle")),
            new(BuiltInType.LocalizedText, new LocalizedText("en", "Mill 7")),
            new(BuiltInType.ExtensionObject, new ExtensionObject(new NodeId(0, 324u), ExtensionObject.BinaryBody, [9, 8])),
            new(BuiltInType.DataValue, new DataValue(Variant.From(4.5), StatusCode.Good, time, time, 10, 20)),
            new(BuiltInType.DiagnosticInfo, new DiagnosticInfo(1, 2, 3, 4, "more", StatusCode.BadTimeout, new DiagnosticInfo(5, null, null, null, null, null, null))),
            new(BuiltInType.Int32, new[] { 1, -2, 3 }, true), new(BuiltInType.String, new[] { "a", null, "c" }, true),
            new(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, true, [2, 3]),
            new(BuiltInType.Variant, new[] { Variant.From(1), Variant.From("x") }, true),
        };

        foreach (var value in values)
        {
            var w = new UaWriter();
            w.WriteVariant(value);
            var back = new UaReader(w.ToArray()).ReadVariant();

            Assert.Equal(value.ToString(), back.ToString());
            Assert.Equal((value.Type, value.IsArray, value.Dimensions?.Length), (back.Type, back.IsArray, back.Dimensions?.Length));
        }
    }

    [Fact]
    public void Date_times_count_100_ns_ticks_since_1601_and_zero_means_none()
    {
        var w = new UaWriter();
        w.WriteDateTime(new DateTime(1601, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        w.WriteInt64(0);

        var r = new UaReader(w.ToArray());
        Assert.Equal("8096980000000000", Convert.ToHexString(w.ToArray()[..8]));
        Assert.Equal(new DateTime(1601, 1, 1, 0, 0, 1, DateTimeKind.Utc), r.ReadDateTime());
        Assert.Equal(DateTime.MinValue, r.ReadDateTime());
    }

    [Theory]
    [InlineData("0C05000000616263")] // a String of 5 bytes with 3 left
    [InlineData("86FFFFFF7F")] // an Int32 array claiming int.MaxValue elements
    [InlineData("1F")] // Variant type 31: not a built-in type
    [InlineData("18")] // a scalar Variant inside a Variant
    [InlineData("C6020000000100000002000000010000000300000000")] // dimensions [3] for 2 elements
    [InlineData("0C03000000C328FF")] // invalid UTF-8
    [InlineData("16000307")] // ExtensionObject encoding 7
    public void Malformed_bytes_fail_with_the_one_protocol_exception(string hex)
    {
        Assert.Throws<OpcUaProtocolException>(() => new UaReader(Convert.FromHexString(hex)).ReadVariant());
    }

    [Fact]
    public void Nesting_and_lengths_beyond_the_limits_are_refused()
    {
        var deep = new UaWriter();
        for (var i = 0; i < 20; i++)
        {
            deep.WriteByte(0x40); // DiagnosticInfo with only an inner DiagnosticInfo
        }

        deep.WriteByte(0);
        var nested = Assert.Throws<OpcUaProtocolException>(() => new UaReader(deep.ToArray()).ReadDiagnosticInfo());
        var longString = new UaWriter();
        longString.WriteString(new string('x', 100));
        var tooLong = Assert.Throws<OpcUaProtocolException>(() => new UaReader(longString.ToArray(), new DecodingLimits(MaxStringLength: 10)).ReadString());

        Assert.Equal(StatusCode.BadEncodingLimitsExceeded, nested.Status);
        Assert.Equal(StatusCode.BadEncodingLimitsExceeded, tooLong.Status);
    }
}
