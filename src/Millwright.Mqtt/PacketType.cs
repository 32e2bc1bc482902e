namespace Millwright.Mqtt;

/// <summary>Control packet types, bits 7-4 of the fixed header (5.0 section 2.1.2). 0 is reserved.</summary>
public enum PacketType
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,

    /// <summary>MQTT 5.0 only; in 3.1.1 type 15 is reserved.</summary>
    Auth = 15,
}
