namespace Millwright.Simulator.Models;

/// <summary>Wear failures and planned maintenance (docs/wear-model.md).</summary>
internal abstract partial class SimulatedMachine
{
    // The current down spell is a wear failure, whose repair fits a new part.
    private bool _wornOut;

    /// <summary>True while the machine is in a planned maintenance spell (idle to the platform, no wear, no failures).</summary>
    public bool InMaintenance { get; private set; }

    /// <summary>
    /// Planned maintenance at the clock's now (call <see cref="Tick"/> first): the wearing part is replaced and the
    /// machine stands idle for <paramref name="duration"/>, then carries on as after any idle spell (in job mode:
    /// with the job it held). Refused (false) while it is down: that is a repair, not maintenance.
    /// </summary>
    public bool Maintain(TimeSpan duration)
    {
        if (State == MachineState.Down || InMaintenance)
        {
            return false;
        }

        Wear?.Maintain();
        Enter(MachineState.Idle, duration);
        InMaintenance = true;
        return true;
    }

    /// <summary>A repair ended; a worn-out part was replaced by it.</summary>
    private void RepairDone()
    {
        if (_wornOut)
        {
            Wear?.Renew();
            _wornOut = false;
        }
    }
}
