namespace Millwright.Simulator.Models;

/// <summary>The states of DESIGN.md's machine model that a machine itself can be in (offline is the platform's view).</summary>
internal enum MachineState
{
    Running,
    Idle,
    Setup,
    Down,
}
