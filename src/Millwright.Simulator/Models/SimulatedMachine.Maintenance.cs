namespace Millwright.Simulator.Models;

/// <summary>Wear failures and planned maintenance (docs/wear-model.md).</summary>
internal abstract partial class SimulatedMachine
{
    // The current down spell is a wear failure, whose repair fits a new part.
    private bool _wornOut;

    // A renewal during the current repair, and the part of its length that outlasts the repair.
    private bool _renewedDuringRepair;
    private TimeSpan _maintenanceAfterRepair;

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

    /// <summary>
    /// The wearing part renewed during a repair (call <see cref="Tick"/> first), since the crew is at the stopped
    /// machine anyway. The machine stays down until its repair ends; if the renewal takes longer than what is left of
    /// the repair, it then stands idle in maintenance for the rest, and carries on as after <see cref="Maintain"/>.
    /// Refused (false) unless the machine is down, when the breakdown is the part's own wear failure (its repair fits a
    /// new part already) and when the part was already renewed during this repair.
    /// </summary>
    public bool MaintainDuringRepair(TimeSpan duration)
    {
        if (State != MachineState.Down || _wornOut || _renewedDuringRepair)
        {
            return false;
        }

        Wear?.Maintain();
        _renewedDuringRepair = true;
        _maintenanceAfterRepair = duration > _stateLeft ? duration - _stateLeft : TimeSpan.Zero;
        return true;
    }

    /// <summary>
    /// The part renewed while the machine is stopped anyway (the platform's <c>renewDuringStop</c> advice), at the
    /// clock's now (call <see cref="Tick"/> first): during its repair when it is down (<see cref="MaintainDuringRepair"/>),
    /// as maintenance for <paramref name="duration"/> when it is idle or in set-up (<see cref="Maintain"/>). Refused
    /// (false) when it is running: the advice was given for a stop that is over by the time the crew acts, and a
    /// renewal now would be a stop of its own, the one the advice weighed against.
    /// </summary>
    public bool RenewDuringStop(TimeSpan duration) => State switch
    {
        MachineState.Down => MaintainDuringRepair(duration),
        MachineState.Running => false,
        _ => Maintain(duration),
    };

    /// <summary>
    /// A repair ended; a worn-out part was replaced by it. True when a renewal done during the repair still holds the
    /// machine: it then stands idle in maintenance for the time owed.
    /// </summary>
    private bool RepairDone()
    {
        if (_wornOut)
        {
            Wear?.Renew();
            _wornOut = false;
        }

        var owed = _maintenanceAfterRepair;
        (_renewedDuringRepair, _maintenanceAfterRepair) = (false, TimeSpan.Zero);
        if (owed <= TimeSpan.Zero)
        {
            return false;
        }

        Enter(MachineState.Idle, owed);
        InMaintenance = true;
        return true;
    }
}
