namespace Millwright.Features.Production;

/// <summary>
/// Carries planner events to the node that leads their tenant (cluster mode). The API, the command port and the
/// state tracker post events on whichever node they run; the inbox keeps those of tenants this node leads and hands
/// the others here. A single node registers none.
/// </summary>
internal interface IProductionRelay
{
    void Relay(ProductionEvent e);

    /// <summary>Parts and scrap a machine counted, summed until they are sent.</summary>
    void RelayCount(long tenantId, long machineId, double parts, double scrap, long at);
}
