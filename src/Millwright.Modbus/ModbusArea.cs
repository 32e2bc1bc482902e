namespace Millwright.Modbus;

/// <summary>The four primary tables of the Modbus data model (application protocol 4.3).</summary>
public enum ModbusArea
{
    Coil,
    DiscreteInput,
    InputRegister,
    HoldingRegister,
}
