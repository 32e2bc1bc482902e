namespace Millwright.Sparkplug;

/// <summary>An MQTT message to publish: the topic and the encoded payload.</summary>
public sealed record SparkplugPublication(SparkplugTopic Topic, byte[] Payload)
{
    public string TopicName => Topic.ToString();
}
