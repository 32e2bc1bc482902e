using Millwright.Simulator.Drivers;

namespace Millwright.Simulator.Provisioning;

/// <summary>A machine as the platform knows it, with the credential just issued for it and, for Modbus, its port.</summary>
internal sealed record ProvisionedMachine(PlannedMachine Plan, long Id, string Username, string Secret, int ModbusPort)
{
    public string Name => Plan.Name;

    public Protocol Protocol => Plan.Protocol;
}
