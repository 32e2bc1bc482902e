namespace Millwright.Features.Alarms;

/// <summary>
/// What the engine asks the writer to do: raise or clear one rule on one machine, or expire shelves. In cluster mode
/// <paramref name="Token"/> is the machine's lease token the transition was decided under; the writer refuses it
/// when the machine is held under another token by the time it is written.
/// </summary>
internal sealed record AlarmTransition(TransitionKind Kind, CompiledRule? Rule, long TenantId, long MachineId, string? Value, long At, long? Token = null);
