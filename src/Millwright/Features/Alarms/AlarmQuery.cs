using Millwright.Api;

namespace Millwright.Features.Alarms;

/// <summary>Filters of the alarm list; without <see cref="State"/> it lists the open alarms (every state but closed), with <c>all</c> everything.</summary>
internal sealed record AlarmQuery(int? Limit, long? After, string? State, string? Severity, long? Machine, long? Line, long? Site) : IListQuery;
