namespace Millwright.Modbus;

/// <summary>The peer sent bytes that break the Modbus TCP framing or PDU rules. The connection is not trusted after this.</summary>
public sealed class ModbusProtocolException : Exception
{
    public ModbusProtocolException() { }

    public ModbusProtocolException(string message) : base(message) { }

    public ModbusProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
