namespace Millwright.Scheduling.Model;

/// <summary>Where and when one operation runs. Its end follows from the instance (the duration on that machine).</summary>
public readonly record struct ScheduledOperation(int Machine, int Start);
