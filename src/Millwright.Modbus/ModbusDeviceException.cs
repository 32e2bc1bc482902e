namespace Millwright.Modbus;

/// <summary>
/// The device answered with a well-formed exception response (function code | 0x80, section 7 of the
/// application protocol). The connection is still good; the request was refused.
/// </summary>
public sealed class ModbusDeviceException : Exception
{
    public ModbusDeviceException() { }

    public ModbusDeviceException(string message) : base(message) { }

    public ModbusDeviceException(string message, Exception innerException) : base(message, innerException) { }

    public ModbusDeviceException(ModbusFunction function, ModbusExceptionCode code)
        : base($"Device refused {function}: {code} ({(byte)code})")
    {
        Function = function;
        Code = code;
    }

    public ModbusFunction Function { get; }

    public ModbusExceptionCode Code { get; }
}
