namespace Millwright.Mqtt.Server;

/// <summary>
/// Carries messages between this broker and the brokers of other nodes (cluster mode): the broker tells the bridge
/// which topic filters its sessions subscribe to (so that only matching messages are sent here) and hands it every
/// message it routes that did not itself come over the bridge. Messages from peers come back in through
/// <see cref="MqttServer.RouteFromBridge"/>. Called on the broker's threads: an implementation only queues work.
/// </summary>
public interface IMqttBridge
{
    /// <summary>The first subscription to <paramref name="topicFilter"/> on this broker (shared ones count under their filter).</summary>
    void FilterAdded(string topicFilter);

    /// <summary>The last subscription to <paramref name="topicFilter"/> on this broker is gone.</summary>
    void FilterRemoved(string topicFilter);

    /// <summary>A message routed here, encoded for <see cref="MqttServer.RouteFromBridge"/> on another node.</summary>
    void Forward(string topic, ReadOnlyMemory<byte> message);
}
