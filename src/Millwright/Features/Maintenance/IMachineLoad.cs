using Millwright.Api;
using Millwright.Features.Calendars;

namespace Millwright.Features.Maintenance;

/// <summary>
/// Where the maintenance planner learns how busy a machine is planned to be (a higher feature, production, owns the
/// plan), so that a stop goes where it moves the least work. Without one, only the calendar's working time counts.
/// </summary>
internal interface IMachineLoad
{
    /// <summary>The spans of [from, to) in which work is planned or running on the machine, in the session's tenant.</summary>
    Task<IReadOnlyList<Interval>> PlannedWorkAsync(Session s, long machineId, long from, long to);
}
