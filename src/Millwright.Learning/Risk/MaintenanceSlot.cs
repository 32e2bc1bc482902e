namespace Millwright.Learning.Risk;

/// <summary>A time maintenance could start, and the planned production it would cost there (hours of planned time it overlaps).</summary>
public readonly record struct MaintenanceSlot(DateTimeOffset Start, double Cost);
