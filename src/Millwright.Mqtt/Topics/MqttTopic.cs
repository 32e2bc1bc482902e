namespace Millwright.Mqtt.Topics;

/// <summary>Topic names, topic filters and matching (5.0 section 4.7, shared subscriptions 4.8.2).</summary>
public static class MqttTopic
{
    public const string SharedPrefix = "$share/";

    /// <summary>4.7.3: at least one character; 3.3.2-2: no wildcard characters in a topic name.</summary>
    public static bool IsValidTopicName(ReadOnlySpan<char> topic) => !topic.IsEmpty && !topic.ContainsAny('+', '#');

    /// <summary>
    /// 4.7.1: '#' is alone in its level and is the last level [MQTT-4.7.1-1]; '+' occupies an entire level
    /// [MQTT-4.7.1-2]; 4.7.3: a filter has at least one character.
    /// </summary>
    public static bool IsValidTopicFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty)
        {
            return false;
        }

        while (true)
        {
            var slash = filter.IndexOf('/');
            var level = slash < 0 ? filter : filter[..slash];
            if (level.ContainsAny('+', '#') && level.Length != 1)
            {
                return false;
            }

            if (level is "#" && slash >= 0)
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }

            filter = filter[(slash + 1)..];
        }
    }

    /// <summary>True when the filter uses the shared subscription form "$share/" (4.8.2).</summary>
    public static bool IsShared(ReadOnlySpan<char> filter) => filter.StartsWith(SharedPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Splits "$share/{ShareName}/{filter}" (4.8.2): the share name is at least one character without '/', '+'
    /// or '#' [MQTT-4.8.2-1], and is followed by '/' and a valid topic filter [MQTT-4.8.2-2].
    /// </summary>
    public static bool TryParseShared(string filter, out string shareName, out string topicFilter)
    {
        shareName = "";
        topicFilter = "";
        if (!IsShared(filter))
        {
            return false;
        }

        var rest = filter.AsSpan(SharedPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[..slash].ContainsAny('+', '#') || !IsValidTopicFilter(rest[(slash + 1)..]))
        {
            return false;
        }

        shareName = rest[..slash].ToString();
        topicFilter = rest[(slash + 1)..].ToString();
        return true;
    }

    /// <summary>A filter as a SUBSCRIBE may carry it: a plain filter, or (5.0) a well-formed shared one.</summary>
    public static bool IsValidSubscriptionFilter(string filter, bool allowShared)
    {
        if (allowShared && IsShared(filter))
        {
            return TryParseShared(filter, out _, out _);
        }

        return IsValidTopicFilter(filter);
    }

    /// <summary>
    /// Whether a topic name matches a (non-shared) topic filter (4.7.1). '#' also matches the parent level
    /// ("a/#" matches "a"); wildcards in the first level never match a topic starting with '$' [MQTT-4.7.2-1].
    /// Allocation-free.
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        if (filter.IsEmpty || topic.IsEmpty)
        {
            return false;
        }

        if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        while (true)
        {
            var fs = filter.IndexOf('/');
            var level = fs < 0 ? filter : filter[..fs];
            if (level is "#")
            {
                return true;
            }

            var ts = topic.IndexOf('/');
            var name = ts < 0 ? topic : topic[..ts];
            if (level is not "+" && !level.SequenceEqual(name))
            {
                return false;
            }

            if (fs < 0)
            {
                return ts < 0;
            }

            if (ts < 0)
            {
                // The topic ended; only a trailing "/#" can still match, covering the parent level.
                return filter[(fs + 1)..] is "#";
            }

            filter = filter[(fs + 1)..];
            topic = topic[(ts + 1)..];
        }
    }
}
