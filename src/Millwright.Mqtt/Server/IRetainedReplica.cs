namespace Millwright.Mqtt.Server;

/// <summary>
/// Keeps the broker's retained messages beyond this process (cluster mode: in the cluster's database, so every node
/// holds the same ones and a node that starts later, or after another died, has them too). Every retained message a
/// client, a will or the platform sets on this node is handed to it, and a client's PUBACK waits until it is stored.
/// What other nodes set comes back through <see cref="MqttServer.ApplyRetained"/>, never through the bridge.
/// </summary>
public interface IRetainedReplica
{
    /// <summary>
    /// Stores that <paramref name="topic"/> now retains <paramref name="message"/> (one MQTT 5.0 PUBLISH, as
    /// <see cref="MqttServer.ApplyRetained"/> takes it), or nothing when it is empty. <paramref name="account"/> is
    /// the account it counts against; <paramref name="expiresAt"/> its Unix ms deadline. Completes once durable.
    /// </summary>
    Task StoreAsync(string topic, ReadOnlyMemory<byte> message, string? account, long? expiresAt);

    /// <summary>Every message <paramref name="account"/> retained is cleared (its tenant was deleted or renamed its slug).</summary>
    Task ClearAsync(string account);
}
