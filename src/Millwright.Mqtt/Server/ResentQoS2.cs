namespace Millwright.Mqtt.Server;

/// <summary>Whether a QoS 2 PUBLISH repeats one whose exchange is still open (4.3.3).</summary>
internal enum ResentQoS2
{
    /// <summary>A new message: admit it.</summary>
    No,

    /// <summary>Its PUBREC is still queued, waiting for durability: that PUBREC answers the resend too.</summary>
    Pending,

    /// <summary>Its PUBREC went: the session owns the message until PUBREL, and the resend gets another PUBREC.</summary>
    Owned,
}
