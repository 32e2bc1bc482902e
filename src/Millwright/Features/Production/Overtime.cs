using Millwright.Features.Calendars;

namespace Millwright.Features.Production;

/// <summary>Extra working time at a site for the machines of one line, in Unix ms (a what-if's overtime).</summary>
internal sealed record Overtime(long SiteId, Interval Window, IReadOnlySet<long> Machines);
