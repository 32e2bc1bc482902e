namespace Millwright.Features.Telemetry;

/// <summary>The answer of GET /api/v1/latest, for the OpenAPI document; <see cref="LatestJson"/> writes it.</summary>
internal sealed record LatestListDto(IReadOnlyList<MachineLatestDto> Items);
