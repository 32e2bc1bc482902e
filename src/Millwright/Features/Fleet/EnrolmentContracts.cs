namespace Millwright.Features.Fleet;

/// <summary>A batch of machines to join the fleet: where new ones are made (line, machine type) and each one's name and identity.</summary>
internal sealed record EnrolmentInput(long? LineId, long? MachineTypeId, IReadOnlyList<EnrolmentMachineInput>? Machines);

internal sealed record EnrolmentMachineInput(string? Name, string? OemName, string? Model, string? SerialNumber, string? Pin);

/// <summary>What a batch did: machines created, machines that existed (their identity set or changed), and each one's id.</summary>
internal sealed record EnrolmentDto(int Created, int Existing, IReadOnlyList<EnrolledMachine> Machines);

internal sealed record EnrolledMachine(long Id, string Name, bool Created);
