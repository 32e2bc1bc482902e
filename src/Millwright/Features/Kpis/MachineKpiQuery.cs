using Millwright.Api;

namespace Millwright.Features.Kpis;

/// <summary>At most one of Site or Line (neither: every machine of the tenant); [From, To) defaults to the last 24 hours, at most 7 days.</summary>
internal sealed record MachineKpiQuery(long? Site, long? Line, ZonedTime? From, ZonedTime? To);
