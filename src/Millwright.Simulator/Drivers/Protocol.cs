namespace Millwright.Simulator.Drivers;

/// <summary>How a simulated machine reaches the platform.</summary>
internal enum Protocol
{
    MqttJson,
    Sparkplug,
    Modbus,
    OpcUa,
}
