namespace Millwright.Learning.Risk;

/// <summary>One stored reading of a degradation indicator, taken while the machine ran.</summary>
public readonly record struct IndicatorReading(long AtMs, double Value);
