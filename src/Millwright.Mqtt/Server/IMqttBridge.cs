namespace Millwright.Mqtt.Server;

/// <summary>
/// Carries messages between this broker and the brokers of other nodes (cluster mode): the broker tells the bridge
/// which topic filters its sessions subscribe to (so that only matching messages are sent here) and offers it every
/// message it routes that did not itself come over the bridge. Messages from peers come back in through
/// <see cref="MqttServer.RouteFromBridge"/>. The broker calls these on its own threads, filter changes under its
/// subscription lock: an implementation only records or queues, and never calls back into the broker.
/// </summary>
public interface IMqttBridge
{
    /// <summary>The first subscription to <paramref name="topicFilter"/> on this broker (shared ones count under their filter).</summary>
    void FilterAdded(string topicFilter);

    /// <summary>The last subscription to <paramref name="topicFilter"/> on this broker is gone.</summary>
    void FilterRemoved(string topicFilter);

    /// <summary>Whether a message on <paramref name="topic"/> is to be forwarded, asked before it is encoded.</summary>
    bool Accepts(string topic);

    /// <summary>A message routed here that <see cref="Accepts"/> took, encoded for <see cref="MqttServer.RouteFromBridge"/> on another node.</summary>
    /// <param name="sender">The session key of the client that published it (null for the server's own), carried for No Local.</param>
    /// <returns>
    /// When <paramref name="confirm"/> (a QoS 1 or 2 message, whose PUBACK waits for it): a task that completes once the
    /// other nodes' queues hold the message, and fails when that cannot be made sure; else null.
    /// </returns>
    Task? Forward(string topic, ReadOnlyMemory<byte> message, bool confirm, string? sender);
}
