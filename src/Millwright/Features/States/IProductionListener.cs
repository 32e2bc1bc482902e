namespace Millwright.Features.States;

/// <summary>
/// What the state tracker tells production about a machine: each state change and each production counted
/// from its part and scrap counters. Called on the tracker's loop, so an implementation only queues and never blocks.
/// </summary>
internal interface IProductionListener
{
    void StateChanged(long tenantId, CurrentState current);

    void Counted(long tenantId, long machineId, double parts, double scrap, long at);
}
