using Millwright.Features.Connectivity;

namespace Millwright.Tests.Connectivity;

public sealed class TopicRulesTests
{
    [Theory]
    [InlineData("mw/acme/cnc-1/telemetry", true)]
    [InlineData("mw/acme/cnc-1/", true)]
    [InlineData("mw/acme/cnc-1/#", true)]
    [InlineData("mw/acme/cnc-1", false)]
    [InlineData("mw/acme/cnc-10/telemetry", false)]
    [InlineData("mw/acme2/cnc-1/telemetry", false)]
    [InlineData("mw/+/cnc-1/telemetry", false)]
    [InlineData("spBv1.0/acme/NDATA/cnc-1", true)]
    [InlineData("spBv1.0/acme/DDATA/cnc-1/sensor", true)]
    [InlineData("spBv1.0/acme/+/cnc-1/#", true)]
    [InlineData("spBv1.0/acme/#", false)]
    [InlineData("spBv1.0/acme/NDATA/#", false)]
    [InlineData("spBv1.0/acme/NDATA", false)]
    [InlineData("#", false)]
    [InlineData("$SYS/acme/cnc-1/x", false)]
    public void A_device_reaches_only_its_own_levels(string topic, bool allowed)
    {
        Assert.Equal(allowed, TopicRules.DeviceMaySubscribe("acme", "cnc-1", topic));
        Assert.Equal(allowed, TopicRules.DeviceMayPublish("acme", "cnc-1", topic));
    }

    [Fact]
    public void The_level_walk_agrees_with_a_plain_split_on_random_topics()
    {
        string[] pieces = ["mw", "spBv1.0", "acme", "acme2", "cnc-1", "cnc-10", "NDATA", "+", "#", "", "telemetry", "x/y"];
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            var topic = string.Join('/', Enumerable.Range(0, 1 + random.Next(6)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.True(Reference(topic) == TopicRules.DeviceMayPublish("acme", "cnc-1", topic), topic);
        }
    }

    /// <summary>The rule as first written, on split levels: the reference the allocation-free walk must match.</summary>
    private static bool Reference(string topic) => topic.Split('/') switch
    {
        ["mw", var t, var d, _, ..] => t == "acme" && d == "cnc-1",
        ["spBv1.0", var t, var type, var d, ..] => t == "acme" && d == "cnc-1" && type != "#",
        _ => false,
    };
}
