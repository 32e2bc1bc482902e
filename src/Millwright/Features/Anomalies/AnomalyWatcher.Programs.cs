using Millwright.Messages;

namespace Millwright.Features.Anomalies;

/// <summary>What a machine runs, which picks its baselines within a state (docs/anomaly-detection.md, "Program baselines").</summary>
internal sealed partial class AnomalyWatcher
{
    /// <summary>A message naming the machine's program (a string alone, sent on change) picks its baselines for the readings after it.</summary>
    private bool CarriesProgram(DeviceMessage message)
    {
        if (!_machines.TryGetValue((message.TenantId, message.MachineId), out var machine) || machine.ProgramTag is not { } tag)
        {
            return false;
        }

        foreach (var reading in message.Readings)
        {
            if (reading.Tag == tag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The program the machine runs, from its type's program tag: in this message, else the last one seen, else (first
    /// message since start) the latest stored value. Null when the type names no program tag or the machine reports none.
    /// </summary>
    private string? ProgramOf(MachineWatch machine, DeviceMessage message)
    {
        if (machine.ProgramTag is not { } tag)
        {
            return null;
        }

        foreach (var reading in message.Readings)
        {
            if (reading.Tag == tag)
            {
                (machine.Program, machine.ProgramKnown) = (AnomalyVocabulary.ProgramName(reading.Value), true);
            }
        }

        if (!machine.ProgramKnown)
        {
            // A loop, not FirstOrDefault: Reading is a struct, whose default (a number 0) named a machine that never
            // reported a program 'program 0'.
            foreach (var stored in latest.Of(machine.TenantId, machine.MachineId))
            {
                if (stored.Tag == tag)
                {
                    machine.Program = AnomalyVocabulary.ProgramName(stored.Value);
                }
            }

            machine.ProgramKnown = true;
        }

        return machine.Program;
    }
}
