namespace Millwright.Simulator.Provisioning;

/// <summary>The factory's power meter as the platform knows it: a Modbus machine on its own port, measuring one machine.</summary>
internal sealed record ProvisionedMeter(long Id, string Name, long MeasuredId, string MeasuredName, int ModbusPort);
