using Millwright.Features.Alarms;

namespace Millwright.Features.Anomalies;

/// <summary>
/// Cluster mode: which machines' detectors this node holds, and under which lease token. What a node learned of a
/// machine it lost is dropped, not saved: the new owner continues from the store, and a save from here would
/// overwrite what the new owner saved since.
/// </summary>
internal sealed partial class AnomalyWatcher
{
    private long _ownershipSeen = long.MinValue;

    /// <summary>
    /// Whether this node judges the machine now (a single node judges every machine), and the lease token it holds
    /// it under; a watch read under another token is dropped, so the machine's learned state is read again.
    /// </summary>
    private bool Holds(long tenant, long machineId, out long? token)
    {
        token = ownership?.TokenOf(machineId);
        if (ownership is null)
        {
            return true;
        }

        if (_machines.TryGetValue((tenant, machineId), out var held) && held.Token != token)
        {
            Drop(held, token is null ? "this node no longer holds it" : $"this node holds it under token {token} now");
        }

        return token is not null;
    }

    /// <summary>Whenever ownership moved, drops the watches of machines this node no longer holds under the token they were read under.</summary>
    private void ForgetLostMachines()
    {
        if (ownership is null || ownership.Version == _ownershipSeen)
        {
            return;
        }

        _ownershipSeen = ownership.Version;
        foreach (var ((tenant, machineId), _) in _machines)
        {
            Holds(tenant, machineId, out _);
        }
    }

    /// <summary>The alarm writer refused a transition: the machine's token is stale, so what this node holds of it is too.</summary>
    private void OnFenced(AlarmTransition transition)
    {
        if (transition.Token is { } token && _machines.TryGetValue((transition.TenantId, transition.MachineId), out var held) && held.Token == token)
        {
            Drop(held, "the alarm writer's fence refused its transition");
        }
    }

    /// <summary>Forgets the machine unsaved (only this very watch: one read again meanwhile stays).</summary>
    private void Drop(MachineWatch machine, string reason)
    {
        if (_machines.TryRemove(KeyValuePair.Create((machine.TenantId, machine.MachineId), machine)))
        {
            LogDropped(logger, machine.MachineId, machine.Token, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Anomaly detectors of machine {Machine} (token {Token}) dropped unsaved: {Reason}")]
    private static partial void LogDropped(ILogger logger, long machine, long? token, string reason);
}
