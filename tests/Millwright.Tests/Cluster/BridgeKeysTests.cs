using Millwright.Features.ClusterBridge;

namespace Millwright.Tests.Cluster;

/// <summary>MQTT topics and filters as AMQP topic-exchange keys (<see cref="BridgeKeys"/>).</summary>
public sealed class BridgeKeysTests
{
    [Theory]
    [InlineData("mw/acme/press-1/telemetry", "mw.acme.press-1.telemetry")]
    [InlineData("v1.2/x", "v1%2E2.x")]
    [InlineData("a*b/c#d/100%", "a%2Ab.c%23d.100%25")]
    [InlineData("a//b", "a..b")]
    [InlineData("/leading", ".leading")]
    [InlineData("spBv1.0/group/NDATA/edge", "spBv1%2E0.group.NDATA.edge")]
    public void A_topic_becomes_a_routing_key_with_AMQP_syntax_escaped(string topic, string key) =>
        Assert.Equal(key, BridgeKeys.ForTopic(topic));

    [Theory]
    [InlineData("mw/acme/#", "mw.acme.#")]
    [InlineData("mw/+/+/cmd", "mw.*.*.cmd")]
    [InlineData("#", "#")]
    [InlineData("a.b/+", "a%2Eb.*")]
    [InlineData("a/", "a.")]
    public void A_filter_becomes_a_binding_key_with_its_wildcards_translated(string filter, string key) =>
        Assert.Equal(key, BridgeKeys.ForFilter(filter));

    [Fact]
    public void Levels_that_differ_only_by_a_dot_stay_apart()
    {
        Assert.NotEqual(BridgeKeys.ForTopic("v1.2/x"), BridgeKeys.ForTopic("v1/2/x"));
    }

    [Fact]
    public void A_topic_too_long_for_AMQP_is_not_bridged_and_a_long_filter_binds_a_shorter_superset()
    {
        var level = new string('l', 100);
        Assert.Null(BridgeKeys.ForTopic($"{level}/{level}/{level}"));

        var key = BridgeKeys.ForFilter($"{level}/{level}/{level}/+");
        Assert.Equal($"{level}.{level}.#", key);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(key) <= BridgeKeys.MaxKeyBytes);
        Assert.Equal("#", BridgeKeys.ForFilter(new string('x', 300)));
    }
}
