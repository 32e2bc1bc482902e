namespace Millwright.Features.Alarms;

internal enum TransitionKind
{
    Raise,
    Clear,

    /// <summary>Housekeeping: unshelve every alarm whose shelving time is up.</summary>
    ExpireShelves,
}
