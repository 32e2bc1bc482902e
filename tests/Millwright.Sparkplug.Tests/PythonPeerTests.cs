using Millwright.Fuzzing;

namespace Millwright.Sparkplug.Tests;

/// <summary>
/// Bytes produced by an independent encoder: python3's protobuf runtime with our schema (Peers/python_peer.py,
/// which says how to regenerate them). The first is the example payload of specification 6.4.2.
/// </summary>
public sealed class PythonPeerTests
{
    private const string Spec642 = "08EAF2F5A8A02B121C0A094D79204D6574726963100118A2828395862B200C7A04546573741802";
    private const string DBirth = "08EAF2F5A8A02B12140A0454656D70100A18EAF2F5A8A02B200150FF01121A0A044C6F6164100B18EAF2F5A8A02B200A69000000000000E83F12140A05436F756E74100C18EAF2F5A8A02B200338011801";
    private const string DData = "08D8F9F5A8A02B1212100B18D8F9F5A8A02B69000000000000E03F1802";

    [Fact]
    public void The_specification_example_payload_decodes_field_by_field()
    {
        var message = SparkplugDecoder.Decode("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella", Convert.FromHexString(Spec642));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1486144502122), message.Timestamp);
        Assert.Equal((byte)2, message.Seq);
        var metric = message.Metrics.Single();
        Assert.Equal(("My Metric", (ulong?)1UL, SparkplugDataType.String, (object?)"Test"), (metric.Name, metric.Alias, metric.DataType, metric.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1479123452194), metric.Timestamp);
    }

    [Fact]
    public void Our_encoder_writes_the_specification_example_byte_for_byte()
    {
        var time = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1479123452194));
        var node = new SparkplugEdgeNode("G", "N", time);
        node.NodeBirth([]);
        // NBIRTH took seq 0 and aliases 0 and 1 (bdSeq, Rebirth); the next DBIRTH gets seq 1 and alias 2, so the
        // example's alias 1 and seq 2 are written through MetricEncoder directly, as the edge node would.
        var payload = MetricEncoder.NewPayload(DateTimeOffset.FromUnixTimeMilliseconds(1486144502122), 2);
        payload.Metrics.Add(MetricEncoder.Encode("My Metric", 1, SparkplugDataType.String, "Test", time.GetUtcNow()));

        Assert.Equal(Spec642, Convert.ToHexString(Google.Protobuf.MessageExtensions.ToByteArray(payload)));
    }

    [Fact]
    public void A_python_DBIRTH_and_DDATA_by_alias_resolve_through_the_host_session()
    {
        var host = new SparkplugHost(new ManualClock(SparkplugSamples.Epoch));
        var nbirth = new SparkplugEdgeNode("G", "N", new ManualClock(SparkplugSamples.Epoch)).NodeBirth([]);
        host.Handle(nbirth.TopicName, nbirth.Payload);

        var birth = host.Handle("spBv1.0/G/DBIRTH/N/D", Convert.FromHexString(DBirth));
        var data = host.Handle("spBv1.0/G/DDATA/N/D", Convert.FromHexString(DData));

        Assert.Equal(SparkplugSessionOutcome.Applied, birth.Outcome);
        Assert.Contains(birth.Values, v => v is { Name: "Temp", Value: (sbyte)-1 });
        Assert.Contains(birth.Values, v => v is { Name: "Count", Value: null });
        var load = Assert.Single(data.Values);
        Assert.Equal(("Load", SparkplugDataType.Double, (object?)0.5), (load.Name, load.DataType, load.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1486144503000), load.Timestamp);
    }
}
