using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Tests;

/// <summary>Topic names, filters, matching and shared subscriptions (5.0 sections 4.7 and 4.8.2).</summary>
public sealed class TopicTests
{
    [Theory]
    // The examples of 4.7.1.2 and 4.7.1.3.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a//b", "a//b", true)]
    [InlineData("a/+/b", "a//b", true)]
    [InlineData("A/b", "a/b", false)]
    [InlineData("mw/+/+/telemetry", "mw/acme/press-1/telemetry", true)]
    [InlineData("mw/+/+/telemetry", "mw/acme/press-1/state", false)]
    // 4.7.2 [MQTT-4.7.2-1]: no first-level wildcard match for topics starting with '$'.
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    public void Filters_match_topics_as_the_specification_examples_say(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));
    }

    [Theory]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("a/#", true)]
    [InlineData("+/+/#", true)]
    [InlineData("/", true)]
    [InlineData("a//b", true)]
    [InlineData("", false)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("#/", false)]
    [InlineData("a/b+", false)]
    [InlineData("++", false)]
    public void Topic_filters_follow_the_wildcard_rules(string filter, bool valid)
    {
        Assert.Equal(valid, MqttTopic.IsValidTopicFilter(filter));
    }

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("/", true)]
    [InlineData("$SYS/x", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("a/#", false)]
    public void Topic_names_have_no_wildcards_and_at_least_one_character(string topic, bool valid)
    {
        Assert.Equal(valid, MqttTopic.IsValidTopicName(topic));
    }

    [Theory]
    [InlineData("$share/consumers/mw/+/+/telemetry", "consumers", "mw/+/+/telemetry")]
    [InlineData("$share/g/#", "g", "#")]
    [InlineData("$share/g//", "g", "/")]
    public void Shared_subscriptions_split_into_share_name_and_filter(string filter, string share, string inner)
    {
        Assert.True(MqttTopic.TryParseShared(filter, out var shareName, out var topicFilter));
        Assert.Equal(share, shareName);
        Assert.Equal(inner, topicFilter);
    }

    [Theory]
    [InlineData("$share/g")]
    [InlineData("$share//a")]
    [InlineData("$share/g+/a")]
    [InlineData("$share/g#/a")]
    [InlineData("$share/g/a/#/b")]
    [InlineData("$share/g/")]
    [InlineData("a/b")]
    public void Malformed_or_ordinary_filters_are_not_shared_subscriptions(string filter)
    {
        Assert.False(MqttTopic.TryParseShared(filter, out _, out _));
    }
}
