namespace Millwright.Scheduling.Model;

public enum Objective
{
    /// <summary>Completion time of the last operation.</summary>
    Makespan,

    /// <summary>Sum over jobs of weight × max(0, completion − due); jobs without a due date never count.</summary>
    TotalWeightedTardiness,
}
