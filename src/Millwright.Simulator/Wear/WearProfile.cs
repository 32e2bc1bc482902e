namespace Millwright.Simulator.Wear;

/// <summary>
/// How a kind's wearing part ages (docs/wear-model.md). Wear goes from 0 (new) to 1 over
/// <see cref="NominalLife"/> of running, each part at its own pace (a factor drawn between
/// <see cref="PaceMin"/> and <see cref="PaceMax"/> when it is fitted); the hazard of failing rises with wear as
/// <c>h(w) = HazardAtEnd · w^Shape</c> per running hour, scaled so that half of all parts fail before wear 1.
/// A failure takes a repair drawn from <see cref="Repair"/>, which fits a new part.
/// </summary>
internal sealed record WearProfile(
    TimeSpan NominalLife,
    (TimeSpan Min, TimeSpan Max) Repair,
    int AlarmCode,
    double Shape = 8,
    double PaceMin = 0.5,
    double PaceMax = 1.5)
{
    /// <summary>Hazard per running hour at wear 1: the cumulative hazard from 0 to 1 at nominal pace is ln 2.</summary>
    public double HazardAtEnd => Math.Log(2) * (Shape + 1) / NominalLife.TotalHours;
}
