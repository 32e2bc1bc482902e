using Google.Protobuf;
using Millwright.Sparkplug.Protobuf;
using PbMetric = Millwright.Sparkplug.Protobuf.Payload.Types.Metric;

namespace Millwright.Sparkplug.Tests;

public sealed class DecoderTests
{
    private const string DData = "spBv1.0/G/DDATA/N/D";
    private const string DBirth = "spBv1.0/G/DBIRTH/N/D";
    private const string NBirth = "spBv1.0/G/NBIRTH/N";

    public static TheoryData<SparkplugDataType, int> Mismatches() => new()
    {
        { SparkplugDataType.Int32, 0 },      // float_value
        { SparkplugDataType.Boolean, 1 },    // string_value
        { SparkplugDataType.String, 2 },     // int_value
        { SparkplugDataType.Bytes, 1 },      // string_value
        { SparkplugDataType.UInt8, 3 },      // int_value 300
        { SparkplugDataType.Int8, 4 },       // int_value 0x1FF
        { SparkplugDataType.UInt32, 5 },     // long_value above uint.MaxValue
        { SparkplugDataType.DateTime, 6 },   // long_value beyond year 9999
        { SparkplugDataType.Int16Array, 7 }, // 3 bytes
        { SparkplugDataType.BooleanArray, 8 },
        { SparkplugDataType.StringArray, 9 },
        { SparkplugDataType.Double, 10 },    // boolean_value
        { SparkplugDataType.PropertySet, 2 },
        { (SparkplugDataType)99, 2 },
    };

    private static readonly Action<PbMetric>[] Values =
    [
        m => m.FloatValue = 1.5f,
        m => m.StringValue = "true",
        m => m.IntValue = 1,
        m => m.IntValue = 300,
        m => m.IntValue = 0x1FF,
        m => m.LongValue = 1UL << 33,
        m => m.LongValue = ulong.MaxValue,
        m => m.BytesValue = ByteString.CopyFrom(1, 2, 3),
        m => m.BytesValue = ByteString.CopyFrom(9, 0, 0, 0, 0xFF),
        m => m.BytesValue = ByteString.CopyFromUtf8("no terminator"),
        m => m.BooleanValue = true,
    ];

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void A_datatype_that_disagrees_with_the_value_field_is_refused(SparkplugDataType type, int value)
    {
        var payload = Raw.Payload(1, Raw.Metric("m", 1, type, Values[value]));

        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DBirth, payload));
    }

    [Theory]
    [InlineData(0xFFu, -1)]
    [InlineData(0xFFFFFFFFu, -1)]
    [InlineData(0x80u, -128)]
    [InlineData(0x7Fu, 127)]
    public void Int8_is_accepted_sign_extended_or_zero_extended(uint raw, int expected)
    {
        var payload = Raw.Payload(1, Raw.Metric("m", 1, SparkplugDataType.Int8, m => m.IntValue = raw));

        Assert.Equal((sbyte)expected, Raw.Decode(DBirth, payload).Metrics.Single().Value);
    }

    [Fact]
    public void UInt32_in_long_value_is_accepted_for_edge_libraries_that_send_it_that_way()
    {
        var payload = Raw.Payload(1, Raw.Metric("m", 1, SparkplugDataType.UInt32, m => m.LongValue = uint.MaxValue));

        Assert.Equal(uint.MaxValue, Raw.Decode(DBirth, payload).Metrics.Single().Value);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x12, 0x05, 0x0A })]
    [InlineData(new byte[] { 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]
    [InlineData(new byte[] { 0x0B, 0x0C })]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    public void Bytes_that_are_not_protobuf_are_refused(byte[] bytes) =>
        Assert.Throws<SparkplugProtocolException>(() => SparkplugDecoder.Decode(DData, bytes));

    [Fact]
    public void A_birth_metric_without_a_name_without_a_datatype_or_with_a_repeated_alias_is_refused()
    {
        Assert.Throws<SparkplugProtocolException>(() =>
            Raw.Decode(DBirth, Raw.Payload(1, Raw.Metric(null, 1, SparkplugDataType.Int32, m => m.IntValue = 1))));
        Assert.Throws<SparkplugProtocolException>(() =>
            Raw.Decode(DBirth, Raw.Payload(1, Raw.Metric("a", 1, null, m => m.IntValue = 1))));
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DBirth, Raw.Payload(1,
            Raw.Metric("a", 7, SparkplugDataType.Int32, m => m.IntValue = 1),
            Raw.Metric("b", 7, SparkplugDataType.Int32, m => m.IntValue = 2))));
    }

    [Fact]
    public void Seq_rules_are_enforced_by_the_decoder()
    {
        // NBIRTH seq must be 0; data needs a seq; seq never exceeds 255.
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(NBirth, Raw.Payload(1, Raw.BdSeq(0), Raw.Rebirth())));
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DData, Raw.Payload(null, Raw.Metric(null, 1, null, m => m.IntValue = 1))));
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DData, Raw.Payload(256, Raw.Metric(null, 1, null, m => m.IntValue = 1))));
    }

    [Fact]
    public void NBIRTH_needs_bdSeq_in_range_and_reports_a_missing_rebirth_metric()
    {
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(NBirth, Raw.Payload(0, Raw.Rebirth())));
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(NBirth, Raw.Payload(0, Raw.BdSeq(256), Raw.Rebirth())));
        Assert.True(Raw.Decode(NBirth, Raw.Payload(0, Raw.BdSeq(1))).LacksRebirthMetric);
        var complete = Raw.Decode(NBirth, Raw.Payload(0, Raw.BdSeq(1), Raw.Rebirth()));
        Assert.Equal((byte)1, complete.BdSeq);
        Assert.False(complete.LacksRebirthMetric);
    }

    [Fact]
    public void A_host_applies_an_NBIRTH_without_the_rebirth_metric_with_a_warning_unless_strict()
    {
        var lenient = new SparkplugHost(new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds((long)Raw.Timestamp)));
        var strict = new SparkplugHost(new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds((long)Raw.Timestamp)));
        var payload = Raw.Payload(0, Raw.BdSeq(1)).ToByteArray();

        var accepted = lenient.Handle(NBirth, payload);
        var refused = Assert.Throws<SparkplugProtocolException>(() => strict.Handle(NBirth, payload, strictBirths: true));

        Assert.Equal(SparkplugSessionOutcome.Applied, accepted.Outcome);
        Assert.Contains("Node Control/Rebirth", accepted.Warning, StringComparison.Ordinal);
        Assert.True(lenient.Find("G", "N")!.IsOnline);
        Assert.Contains("Node Control/Rebirth", refused.Message, StringComparison.Ordinal);
        Assert.Null(strict.Find("G", "N"));
    }

    [Fact]
    public void A_data_metric_needs_a_name_or_alias_and_a_value_or_is_null()
    {
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DData, Raw.Payload(1, Raw.Metric(null, null, null, m => m.IntValue = 1))));
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DData, Raw.Payload(1, Raw.Metric(null, 1, null))));
        Assert.True(Raw.Decode(DData, Raw.Payload(1, Raw.Metric(null, 1, null, m => m.IsNull = true))).Metrics.Single().IsNull);
    }

    [Fact]
    public void Properties_decode_to_a_map_and_mismatched_keys_are_refused()
    {
        var metric = Raw.Metric("m", 1, SparkplugDataType.Int32, m => m.IntValue = 1);
        metric.Properties = new Payload.Types.PropertySet { Keys = { "Quality" }, Values = { new Payload.Types.PropertyValue { Type = 3, IntValue = 192 } } };

        Assert.Equal(192, Raw.Decode(DBirth, Raw.Payload(1, metric)).Metrics.Single().Properties!["Quality"]);

        metric.Properties.Keys.Add("Engineering Unit");
        Assert.Throws<SparkplugProtocolException>(() => Raw.Decode(DBirth, Raw.Payload(1, metric)));
    }

    [Fact]
    public void A_dataset_row_with_the_wrong_width_or_cell_type_is_refused()
    {
        var ds = new Payload.Types.DataSet { NumOfColumns = 1, Columns = { "a" }, Types_ = { 3 } };
        ds.Rows.Add(new Payload.Types.DataSet.Types.Row
        {
            Elements = { new Payload.Types.DataSet.Types.DataSetValue { IntValue = 1 }, new Payload.Types.DataSet.Types.DataSetValue { IntValue = 2 } },
        });
        Assert.Throws<SparkplugProtocolException>(() =>
            Raw.Decode(DBirth, Raw.Payload(1, Raw.Metric("m", 1, SparkplugDataType.DataSet, m => m.DatasetValue = ds))));

        ds.Rows[0].Elements.RemoveAt(1);
        ds.Rows[0].Elements[0] = new Payload.Types.DataSet.Types.DataSetValue { StringValue = "x" };
        Assert.Throws<SparkplugProtocolException>(() =>
            Raw.Decode(DBirth, Raw.Payload(1, Raw.Metric("m", 1, SparkplugDataType.DataSet, m => m.DatasetValue = ds))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"online\": \"yes\", \"timestamp\": 1}")]
    [InlineData("{\"online\": true}")]
    [InlineData("{\"online\": true, \"timestamp\": -1}")]
    [InlineData("{\"online\": true, \"timestamp\": 1} {}")]
    [InlineData("{\"online\": true, \"timestamp\": 1")]
    public void Malformed_STATE_payloads_are_refused(string json) =>
        Assert.Throws<SparkplugProtocolException>(() => SparkplugHostState.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_STATE_topic_is_not_decoded_as_protobuf() =>
        Assert.Throws<SparkplugProtocolException>(() => SparkplugDecoder.Decode("spBv1.0/STATE/h", "{}"u8));
}
