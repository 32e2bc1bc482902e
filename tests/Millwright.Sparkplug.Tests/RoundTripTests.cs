using Millwright.Fuzzing;

namespace Millwright.Sparkplug.Tests;

public sealed class RoundTripTests
{
    private readonly ManualClock _time = new(SparkplugSamples.Epoch);

    public static TheoryData<string> DataTypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var metric in SparkplugSamples.EveryDataType())
        {
            data.Add(metric.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DataTypeNames))]
    public void Every_datatype_survives_a_DBIRTH_round_trip(string name)
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time);
        node.NodeBirth([]);
        var sent = SparkplugSamples.EveryDataType().Single(m => m.Name == name);

        var birth = node.DeviceBirth("CNC-01", [sent]);
        var metric = SparkplugDecoder.Decode(birth.Topic, birth.Payload).Metrics.Single();

        Assert.Equal(name, metric.Name);
        Assert.Equal(sent.DataType, metric.DataType);
        Assert.Equal(sent.Value is null, metric.IsNull);
        AssertSameValue(sent.Value, metric.Value);
        Assert.Equal(SparkplugSamples.Epoch, metric.Timestamp);
    }

    [Theory]
    [InlineData(SparkplugDataType.Int8, (sbyte)-128)]
    [InlineData(SparkplugDataType.Int8, (sbyte)127)]
    [InlineData(SparkplugDataType.Int16, short.MinValue)]
    [InlineData(SparkplugDataType.Int32, int.MinValue)]
    [InlineData(SparkplugDataType.Int64, long.MinValue)]
    [InlineData(SparkplugDataType.Int64, long.MaxValue)]
    [InlineData(SparkplugDataType.UInt8, byte.MaxValue)]
    [InlineData(SparkplugDataType.UInt16, ushort.MaxValue)]
    [InlineData(SparkplugDataType.UInt32, uint.MaxValue)]
    [InlineData(SparkplugDataType.UInt64, ulong.MaxValue)]
    [InlineData(SparkplugDataType.Float, float.NegativeInfinity)]
    [InlineData(SparkplugDataType.Double, double.Epsilon)]
    [InlineData(SparkplugDataType.Boolean, false)]
    [InlineData(SparkplugDataType.String, "")]
    [InlineData(SparkplugDataType.Text, "Ümlaut ✓")]
    public void Boundary_values_round_trip_through_NBIRTH(SparkplugDataType type, object value)
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time);
        var birth = node.NodeBirth([new SparkplugMetricValue("m", type, value)]);

        var decoded = SparkplugDecoder.Decode(birth.Topic, birth.Payload).Metrics.Single(m => m.Name == "m");

        Assert.Equal(value, decoded.Value);
    }

    [Fact]
    public void NBIRTH_carries_seq_zero_bdSeq_and_the_rebirth_metric()
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time, bdSeq: 9);

        var message = Decode(node.NodeBirth([new("Mode", SparkplugDataType.String, "auto")]));

        Assert.Equal(SparkplugMessageType.NBirth, message.Topic.MessageType);
        Assert.Equal((byte)0, message.Seq);
        Assert.Equal((byte)9, message.BdSeq);
        Assert.Contains(message.Metrics, m => m is { Name: "Node Control/Rebirth", Value: false });
        Assert.All(message.Metrics, m => Assert.NotNull(m.Alias));
        Assert.Equal(SparkplugSamples.Epoch, message.Timestamp);
    }

    [Fact]
    public void NDEATH_will_carries_the_bdSeq_and_no_seq()
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time, bdSeq: 255);
        node.StartNewSession();

        var message = Decode(node.DeathCertificate());

        Assert.Equal(SparkplugMessageType.NDeath, message.Topic.MessageType);
        Assert.Null(message.Seq);
        Assert.Equal((byte)0, message.BdSeq);
    }

    [Fact]
    public void Data_messages_carry_aliases_only_and_consecutive_seq_numbers()
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time);
        node.NodeBirth([new("Speed", SparkplugDataType.Int32, 0)]);
        node.DeviceBirth("CNC-01", [new("Load", SparkplugDataType.Double, 0.0)]);

        var ndata = Decode(node.NodeData([new("Speed", 1200)]));
        var ddata = Decode(node.DeviceData("CNC-01", [new("Load", 0.5)]));
        var ddeath = Decode(node.DeviceDeath("CNC-01"));

        Assert.Equal((byte)2, ndata.Seq);
        Assert.Equal((byte)3, ddata.Seq);
        Assert.Equal((byte)4, ddeath.Seq);
        Assert.Null(ndata.Metrics.Single().Name);
        Assert.Equal(SparkplugDataType.Unknown, ndata.Metrics.Single().DataType);
        Assert.Equal(1200u, ndata.Metrics.Single().Value);
        Assert.Equal(0.5, ddata.Metrics.Single().Value);
        Assert.Empty(ddeath.Metrics);
    }

    [Fact]
    public void Commands_round_trip_with_names_and_values()
    {
        var now = _time.GetUtcNow();
        var ncmd = Decode(SparkplugCommands.Rebirth("Plant1", "Cell7", now));
        var dcmd = Decode(SparkplugCommands.DeviceCommand("Plant1", "Cell7", "CNC-01", [new("Program", SparkplugDataType.String, "O1000")], now));

        Assert.Equal("spBv1.0/Plant1/NCMD/Cell7", ncmd.Topic.ToString());
        Assert.Contains(ncmd.Metrics, m => m is { Name: "Node Control/Rebirth", DataType: SparkplugDataType.Boolean, Value: true });
        Assert.Equal("spBv1.0/Plant1/DCMD/Cell7/CNC-01", dcmd.Topic.ToString());
        Assert.Equal("O1000", dcmd.Metrics.Single().Value);
    }

    [Fact]
    public void Host_state_round_trips_as_json()
    {
        var state = new SparkplugHostState(true, SparkplugSamples.Epoch);

        Assert.Equal(state, SparkplugHostState.Parse(state.ToJson()));
        Assert.Equal(new SparkplugHostState(false, SparkplugSamples.Epoch),
            SparkplugHostState.Parse("""{"timestamp": 1793520000000, "online": false, "extra": [1, {"x": null}]}"""u8));
    }

    [Fact]
    public void The_edge_node_recognises_the_hosts_rebirth_request()
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", _time);
        node.NodeBirth([]);

        Assert.True(node.IsRebirthRequest(Decode(SparkplugCommands.Rebirth("Plant1", "Cell7", _time.GetUtcNow()))));
        Assert.False(node.IsRebirthRequest(Decode(SparkplugCommands.Rebirth("Plant1", "Other", _time.GetUtcNow()))));
    }

    private static SparkplugMessage Decode(SparkplugPublication publication) =>
        SparkplugDecoder.Decode(publication.TopicName, publication.Payload);

    private static void AssertSameValue(object? expected, object? actual)
    {
        switch (expected)
        {
            case SparkplugDataSet ds:
                var got = Assert.IsType<SparkplugDataSet>(actual);
                Assert.Equal(ds.Columns, got.Columns);
                Assert.Equal(ds.Types, got.Types);
                Assert.Equal(ds.Rows.Count, got.Rows.Count);
                for (var i = 0; i < ds.Rows.Count; i++)
                {
                    Assert.Equal(ds.Rows[i], got.Rows[i]);
                }

                break;
            case SparkplugTemplate t:
                var template = Assert.IsType<SparkplugTemplate>(actual);
                Assert.Equal((t.Version, t.TemplateRef, t.IsDefinition), (template.Version, template.TemplateRef, template.IsDefinition));
                Assert.Equal(t.Parameters, template.Parameters);
                Assert.Equal(t.Metrics.Single().Value, template.Metrics.Single().Value);
                Assert.Equal(t.Metrics.Single().Name, template.Metrics.Single().Name);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
