namespace Millwright.Simulator.Fleet;

/// <summary>What a simulated fleet machine is doing: parked with the engine off, driving between depot and sites, working or idling on site.</summary>
internal enum FleetPhase
{
    Parked,
    Travelling,
    Working,
    Idle,
}
