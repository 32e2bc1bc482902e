namespace Millwright.Features.Alarms;

/// <summary>What the engine asks the writer to do: raise or clear one rule on one machine, or expire shelves.</summary>
internal sealed record AlarmTransition(TransitionKind Kind, CompiledRule? Rule, long TenantId, long MachineId, string? Value, long At);
