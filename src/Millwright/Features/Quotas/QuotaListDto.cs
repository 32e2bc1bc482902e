namespace Millwright.Features.Quotas;

internal sealed record QuotaListDto(IReadOnlyList<QuotaDto> Quotas);
