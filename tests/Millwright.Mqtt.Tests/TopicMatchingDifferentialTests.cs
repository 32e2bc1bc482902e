using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Tests;

/// <summary>
/// MqttTopic.Matches against a plain recursive reading of 4.7, over random filters and topics built from the
/// characters that matter ('/', '+', '#', '$' and two letters). The fast matcher must agree on every pair.
/// </summary>
public sealed class TopicMatchingDifferentialTests
{
    private const string Alphabet = "ab/+#$";

    [Fact]
    public void The_matcher_agrees_with_a_reference_reading_of_the_specification_on_random_pairs()
    {
        var random = new Random(4_7);
        var checkedPairs = 0;
        var matches = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var filter = RandomString(random);
            var topic = RandomString(random).Replace("+", "", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal);
            if (!MqttTopic.IsValidTopicFilter(filter) || !MqttTopic.IsValidTopicName(topic))
            {
                continue;
            }

            checkedPairs++;
            var expected = Reference(filter, topic);
            matches += expected ? 1 : 0;
            Assert.True(expected == MqttTopic.Matches(filter, topic), $"filter '{filter}' topic '{topic}': expected {expected}");
        }

        Assert.True(checkedPairs > 20_000 && matches > 1_000, $"{checkedPairs} pairs, {matches} matches");
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

    private static bool Reference(string filter, string topic)
    {
        // 4.7.2: a topic starting with '$' is not matched by a filter starting with a wildcard.
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        return Levels(filter.Split('/'), 0, topic.Split('/'), 0);
    }

    private static bool Levels(string[] filter, int f, string[] topic, int t)
    {
        if (f == filter.Length)
        {
            return t == topic.Length;
        }

        // 4.7.1.2: '#' matches the parent level and any number of child levels.
        if (filter[f] == "#")
        {
            return true;
        }

        if (t == topic.Length)
        {
            return false;
        }

        return (filter[f] == "+" || filter[f] == topic[t]) && Levels(filter, f + 1, topic, t + 1);
    }
}
