namespace Millwright.Modbus;

/// <summary>What the last poll of a machine found.</summary>
public enum ModbusHealth
{
    Online,
    Timeout,
    ConnectionFailed,
    DeviceException,
    ProtocolError,
    Fault,
}
