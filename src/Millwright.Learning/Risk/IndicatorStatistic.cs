namespace Millwright.Learning.Risk;

/// <summary>What of a window of readings shows wear: their level (a vibration, a temperature) or their spread (a pressure that varies more).</summary>
public enum IndicatorStatistic
{
    Mean,
    Spread,
}
