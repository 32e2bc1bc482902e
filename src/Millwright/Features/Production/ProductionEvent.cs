using Millwright.Features.States;

namespace Millwright.Features.Production;

/// <summary>Something the planner acts on, queued by the API, the MQTT gate or the state tracker.</summary>
internal abstract record ProductionEvent(long TenantId);

/// <summary>Plan the tenant's open orders again (an order released, a manual request).</summary>
internal sealed record PlanRequested(long TenantId, string Reason) : ProductionEvent(TenantId);

/// <summary>A machine answered a command.</summary>
internal sealed record AckReceived(long TenantId, long MachineId, string MachineName, CommandAck Ack) : ProductionEvent(TenantId);

/// <summary>A machine's state changed.</summary>
internal sealed record StateObserved(long TenantId, CurrentState State) : ProductionEvent(TenantId);

/// <summary>An order was cancelled while machines held some of its jobs: they are told to drop them.</summary>
internal sealed record JobsCancelled(long TenantId, IReadOnlyList<JobRow> Held, string Reason) : ProductionEvent(TenantId);
