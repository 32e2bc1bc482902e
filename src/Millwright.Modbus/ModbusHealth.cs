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

    /// <summary>The connector refused the connection: the platform's egress policy does not let this machine's tenant reach the address.</summary>
    EgressDenied,
}
