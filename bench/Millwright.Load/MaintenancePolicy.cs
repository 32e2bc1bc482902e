namespace Millwright.Bench;

/// <summary>The maintenance policies <c>bench maintenance</c> compares on the same fleet and seeds.</summary>
internal enum MaintenancePolicy
{
    RunToFailure,
    Fixed,
    Predictive,
}
