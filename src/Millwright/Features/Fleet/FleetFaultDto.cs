namespace Millwright.Features.Fleet;

/// <summary>A machine whose latest <c>fault_code</c> is not 0: the J1939 SPN/FMI, its severity and when it came.</summary>
internal sealed record FleetFaultDto(long MachineId, string Name, string Code, int? Severity, DateTimeOffset Since);
