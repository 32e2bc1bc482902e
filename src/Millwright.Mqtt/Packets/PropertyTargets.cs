namespace Millwright.Mqtt.Packets;

/// <summary>Where a property may appear; the will properties of CONNECT are their own target (5.0 section 3.1.3.2).</summary>
[Flags]
public enum PropertyTargets
{
    None = 0,
    Connect = 1 << 0,
    ConnAck = 1 << 1,
    Publish = 1 << 2,
    Will = 1 << 3,
    PubAck = 1 << 4,
    PubRec = 1 << 5,
    PubRel = 1 << 6,
    PubComp = 1 << 7,
    Subscribe = 1 << 8,
    SubAck = 1 << 9,
    Unsubscribe = 1 << 10,
    UnsubAck = 1 << 11,
    Disconnect = 1 << 12,
    Auth = 1 << 13,
}
