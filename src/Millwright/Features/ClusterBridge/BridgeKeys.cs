using System.Text;

namespace Millwright.Features.ClusterBridge;

/// <summary>
/// MQTT topics and filters as AMQP topic-exchange routing and binding keys. An MQTT level is an AMQP word: '/'
/// becomes '.', '+' becomes '*' (exactly one word) and '#' stays '#' (zero or more words, so <c>a/#</c> still
/// matches <c>a</c>). Characters AMQP reads as syntax inside a level ('.', '*', '#', and '%', the escape) are
/// percent-escaped, so <c>v1.2/x</c> and <c>v1/2/x</c> stay apart. The exchange is only a coarse filter: the
/// receiving broker routes through its own subscription tree, which applies MQTT's exact rules ($-topics, No Local).
/// </summary>
internal static class BridgeKeys
{
    /// <summary>AMQP 0-9-1 limits a routing or binding key to 255 bytes.</summary>
    public const int MaxKeyBytes = 255;

    /// <summary>The routing key of a topic name, or null when it is longer than AMQP allows (such a message is not bridged).</summary>
    public static string? ForTopic(string topic)
    {
        var key = Join(topic, wildcards: false);
        return Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes ? key : null;
    }

    /// <summary>
    /// The binding key of a topic filter. A filter too long for AMQP is bound as the shortest prefix that fits
    /// followed by '#': a superset, narrowed again by the receiving broker.
    /// </summary>
    public static string ForFilter(string filter)
    {
        var key = Join(filter, wildcards: true);
        if (Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes)
        {
            return key;
        }

        var words = key.Split('.');
        var prefix = new StringBuilder();
        foreach (var word in words)
        {
            var next = prefix.Length == 0 ? word : prefix + "." + word;
            if (Encoding.UTF8.GetByteCount(next) + 2 > MaxKeyBytes)
            {
                break;
            }

            prefix.Clear().Append(next);
        }

        return prefix.Length == 0 ? "#" : prefix + ".#";
    }

    private static string Join(string mqtt, bool wildcards)
    {
        var levels = mqtt.Split('/');
        var key = new StringBuilder(mqtt.Length + 8);
        for (var i = 0; i < levels.Length; i++)
        {
            if (i > 0)
            {
                key.Append('.');
            }

            var level = levels[i];
            if (wildcards && level == "+")
            {
                key.Append('*');
                continue;
            }

            if (wildcards && level == "#")
            {
                key.Append('#');
                continue;
            }

            foreach (var c in level)
            {
                key.Append(c switch
                {
                    '%' => "%25",
                    '.' => "%2E",
                    '*' => "%2A",
                    '#' => "%23",
                    _ => c.ToString(),
                });
            }
        }

        return key.ToString();
    }
}
