namespace Millwright.Mqtt;

/// <summary>QoS levels (5.0 section 4.3); the value 3 is reserved and never valid on the wire.</summary>
public enum QualityOfService
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
