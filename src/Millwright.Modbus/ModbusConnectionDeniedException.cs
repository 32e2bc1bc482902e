namespace Millwright.Modbus;

/// <summary>The connector refused to open a connection (a policy, not the network); nothing was sent or read.</summary>
public sealed class ModbusConnectionDeniedException : Exception
{
    public ModbusConnectionDeniedException() { }

    public ModbusConnectionDeniedException(string message) : base(message) { }

    public ModbusConnectionDeniedException(string message, Exception innerException) : base(message, innerException) { }
}
