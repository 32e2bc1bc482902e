using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// Keeps persistent sessions beyond this broker (cluster mode: their subscriptions in the cluster's database, their
/// messages in a durable queue of the message broker), so that a client resuming its session on another node, also
/// after this one died, finds its subscriptions and the messages published meanwhile. A session the replica keeps
/// (<see cref="SessionClaim.Replicated"/>) lives in this broker only while its client is connected here: its
/// messages come from the replica (<see cref="ReplicatedSession.Deliver"/>), never from this broker's own routing.
/// </summary>
public interface ISessionReplica
{
    /// <summary>
    /// Asked at every CONNECT the gate accepted, before CONNACK. A clean start drops what the cluster kept under
    /// <paramref name="sessionKey"/>; a session with <paramref name="expirySeconds"/> above 0, or one resumed (clean
    /// start 0) that the cluster keeps, is claimed for this node, and any other connection to it, on any node, is
    /// told to let go (<see cref="MqttServer.SessionClaimed"/>). A new kept session counts against
    /// <paramref name="account"/>'s <paramref name="quota"/> across the cluster. <paramref name="client"/> is the client
    /// the gate let in (the replica may keep what its login was, to end the session when that login ends).
    /// </summary>
    Task<SessionClaim> ClaimAsync(MqttClient client, string sessionKey, string? account, bool cleanStart, uint expirySeconds, int? quota, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the session's subscriptions as they are now (<see cref="ReplicatedSession.Subscriptions"/>) and makes its
    /// queue collect what they match; the SUBACK or UNSUBACK waits for it.
    /// </summary>
    Task SaveAsync(ReplicatedSession session, CancellationToken cancellationToken);

    /// <summary>Starts feeding the session's messages to it (<see cref="ReplicatedSession.Deliver"/>); called once CONNACK is on its way.</summary>
    void Attach(ReplicatedSession session);

    /// <summary>
    /// The session's connection here is gone: what it had not acknowledged goes back to its queue, and the session is
    /// kept for <paramref name="expirySeconds"/> from now, or ended (its subscriptions and queue deleted) when that is 0.
    /// A session since claimed by a newer connection is left as that one has it.
    /// </summary>
    void Close(ReplicatedSession session, uint expirySeconds);
}

/// <summary>What the cluster holds for a session at CONNECT.</summary>
/// <param name="Replicated">The session is kept by the replica (else it is this broker's own, as without a replica).</param>
/// <param name="Present">Its state was kept from an earlier connection: CONNACK says session present.</param>
/// <param name="Generation">This claim's number: a later claim of the same session has a larger one.</param>
/// <param name="Subscriptions">Its subscriptions as stored.</param>
/// <param name="Quota">Set when a new kept session would pass the account's quota: the CONNECT is refused with it.</param>
public sealed record SessionClaim(bool Replicated, bool Present, long Generation, IReadOnlyList<StoredSubscription> Subscriptions, string? Quota = null)
{
    public static readonly SessionClaim Local = new(false, false, 0, []);

    public static SessionClaim Refused(string quota) => new(false, false, 0, [], quota);
}

/// <summary>One subscription of a kept session as the replica stores it (the filter as subscribed, shared form included).</summary>
public sealed record StoredSubscription(string Filter, QualityOfService QoS, bool NoLocal, bool RetainAsPublished, RetainHandling RetainHandling, uint? SubscriptionId);
