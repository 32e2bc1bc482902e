using Millwright.Mqtt.Server;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The filter set (the broker's subscription tree, used by a cluster node to ask "may a kept session want this topic")
/// against a scan of its filters with <see cref="MqttTopic.Matches(System.ReadOnlySpan{char}, System.ReadOnlySpan{char})"/>,
/// over random filters added and removed and random topics built from the characters that matter.
/// </summary>
public sealed class TopicFilterSetTests
{
    private const string Alphabet = "ab/+#$";

    [Fact]
    public void The_set_answers_as_a_scan_of_its_filters_while_filters_come_and_go()
    {
        var random = new Random(22);
        using var set = new TopicFilterSet();
        var filters = new HashSet<string>(StringComparer.Ordinal);
        var (asked, matched) = (0, 0);
        for (var round = 0; round < 400; round++)
        {
            // A few filters come and a few go each round, so removal is exercised as much as adding.
            for (var i = 0; i < 3; i++)
            {
                var filter = RandomString(random);
                if (MqttTopic.IsValidTopicFilter(filter) && filters.Add(filter))
                {
                    set.Add(filter);
                }
            }

            if (filters.Count > 0 && random.Next(3) == 0)
            {
                var gone = filters.ElementAt(random.Next(filters.Count));
                filters.Remove(gone);
                set.Remove(gone);
            }

            for (var i = 0; i < 200; i++)
            {
                var topic = RandomString(random).Replace("+", "", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal);
                if (!MqttTopic.IsValidTopicName(topic))
                {
                    continue;
                }

                asked++;
                var expected = filters.Any(f => MqttTopic.Matches(f, topic));
                matched += expected ? 1 : 0;
                Assert.True(expected == set.Matches(topic), $"topic '{topic}' over {{{string.Join(", ", filters)}}}: expected {expected}");
            }
        }

        Assert.Equal(filters.Order(StringComparer.Ordinal), set.Filters.Order(StringComparer.Ordinal));
        Assert.True(asked > 20_000 && matched > 2_000 && asked - matched > 2_000, $"{asked} topics asked, {matched} matched");
    }

    [Fact]
    public void Adding_a_filter_twice_and_removing_it_once_leaves_it_out()
    {
        using var set = new TopicFilterSet(["mw/acme/+/telemetry"]);
        set.Add("mw/acme/+/telemetry");
        Assert.True(set.Matches("mw/acme/press-1/telemetry"));
        set.Remove("mw/acme/+/telemetry");
        Assert.False(set.Matches("mw/acme/press-1/telemetry"));
        set.Remove("not/there");
        Assert.Empty(set.Filters);
    }

    [Fact]
    public void A_shared_or_invalid_filter_is_refused()
    {
        using var set = new TopicFilterSet();
        Assert.Throws<ArgumentException>(() => set.Add("$share/group/mw/#"));
        Assert.Throws<ArgumentException>(() => set.Add("mw/#/x"));
        Assert.Empty(set.Filters);
    }

    private static string RandomString(Random random)
    {
        var chars = new char[random.Next(1, 9)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }
}
