namespace Millwright.Features.Connectivity;

/// <summary>
/// A command for one machine: the payload is the feature's own (production sends the JSON of docs/production.md),
/// the port only carries it. <paramref name="TenantSlug"/> and <paramref name="MachineName"/> address it on the wire.
/// </summary>
internal sealed record MachineCommand(long TenantId, string TenantSlug, long MachineId, string MachineName, ReadOnlyMemory<byte> Payload);
