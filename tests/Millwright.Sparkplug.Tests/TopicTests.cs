namespace Millwright.Sparkplug.Tests;

public sealed class TopicTests
{
    [Fact]
    public void A_node_topic_parses_into_group_type_and_edge_node()
    {
        var topic = SparkplugTopic.Parse("spBv1.0/Plant 1/NDATA/Cell7");

        Assert.Equal(SparkplugMessageType.NData, topic.MessageType);
        Assert.Equal("Plant 1", topic.GroupId);
        Assert.Equal("Cell7", topic.EdgeNodeId);
        Assert.Null(topic.DeviceId);
    }

    [Fact]
    public void A_device_topic_carries_the_device_id()
    {
        var topic = SparkplugTopic.Parse("spBv1.0/Plant1/DBIRTH/Cell7/CNC-01");

        Assert.Equal(SparkplugMessageType.DBirth, topic.MessageType);
        Assert.Equal("CNC-01", topic.DeviceId);
        Assert.True(topic.IsDeviceMessage);
    }

    [Fact]
    public void The_host_state_topic_names_the_host()
    {
        var topic = SparkplugTopic.Parse("spBv1.0/STATE/millwright-1");

        Assert.Equal(SparkplugMessageType.State, topic.MessageType);
        Assert.Equal("millwright-1", topic.HostId);
    }

    [Theory]
    [InlineData("spBv1.0/G/NBIRTH/N")]
    [InlineData("spBv1.0/G/NDEATH/N")]
    [InlineData("spBv1.0/G/NCMD/N")]
    [InlineData("spBv1.0/G/DDEATH/N/D")]
    [InlineData("spBv1.0/G/DDATA/N/D")]
    [InlineData("spBv1.0/G/DCMD/N/D")]
    [InlineData("spBv1.0/STATE/host")]
    public void Every_message_type_round_trips_through_its_topic_string(string text) =>
        Assert.Equal(text, SparkplugTopic.Parse(text).ToString());

    [Theory]
    [InlineData("spBv1.0")]
    [InlineData("spAv1.0/G/NDATA/N")]
    [InlineData("spBv1.0/G/NDATA")]
    [InlineData("spBv1.0/G/DDATA/N/D/extra")]
    [InlineData("spBv1.0/G+/NDATA/N")]
    [InlineData("spBv1.0/G/NDATA/N#")]
    [InlineData("spBv1.0/G/DDATA/N/D+")]
    [InlineData("spBv1.0/G/DDATA/N")]
    [InlineData("spBv1.0/G/NDATA/N/D")]
    [InlineData("spBv1.0/G/ndata/N")]
    [InlineData("spBv1.0/G/FOO/N")]
    [InlineData("spBv1.0//NDATA/N")]
    [InlineData("spBv1.0/STATE/")]
    [InlineData("spBv1.0/STATE/a#b")]
    [InlineData("mw/tenant/device/telemetry")]
    public void Malformed_topics_are_refused_with_the_protocol_exception(string text)
    {
        Assert.Throws<SparkplugProtocolException>(() => SparkplugTopic.Parse(text));
        Assert.False(SparkplugTopic.TryParse(text, out _));
    }

    [Fact]
    public void Building_a_topic_with_a_reserved_character_in_an_id_is_refused() =>
        Assert.Throws<SparkplugProtocolException>(() => SparkplugTopic.ForDevice(SparkplugMessageType.DData, "G", "N", "a/b"));
}
