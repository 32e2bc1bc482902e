namespace Millwright.Learning;

/// <summary>Which of the detector's views of a series found a reading most unusual.</summary>
public enum AnomalyCause
{
    None = 0,

    /// <summary>A jump away from the recent level: a spike or the start of a level shift.</summary>
    Jump = 1,

    /// <summary>A value far from the long-run level: a drift or a shift that has lasted.</summary>
    Level = 2,

    /// <summary>A value unlike this time of day on earlier days: broken periodicity.</summary>
    Pattern = 3,

    /// <summary>Recent readings far noisier or far calmer than usual: changed variance.</summary>
    Variance = 4,

    /// <summary>A run of readings each somewhat unusual, none rare alone.</summary>
    Sustained = 5,
}
