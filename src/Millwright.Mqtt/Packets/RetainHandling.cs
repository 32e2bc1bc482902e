namespace Millwright.Mqtt.Packets;

/// <summary>Subscription option bits 4-5 (5.0 section 3.8.3.1); the value 3 is a protocol error.</summary>
public enum RetainHandling
{
    SendOnSubscribe = 0,
    SendOnNewSubscribe = 1,
    DoNotSend = 2,
}
