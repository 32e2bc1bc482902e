using Millwright.Messages;

namespace Millwright.Features.Telemetry;

internal sealed record MachineLatestDto(long MachineId, string Name, ConnectionState? Connection, IReadOnlyList<LatestValueDto> Values);
