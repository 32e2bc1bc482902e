namespace Millwright.Learning.Risk;

/// <summary>
/// A machine's failure risk from wear: the chance its part fails within the next shift and the next day, and how
/// long until its degradation reaches the median at which parts of its kind failed (null when it is not degrading).
/// </summary>
public sealed record RiskEstimate(double NextShift, double NextDay, double? HoursToMedianFailure, Degradation Degradation, FailureThreshold Threshold);
