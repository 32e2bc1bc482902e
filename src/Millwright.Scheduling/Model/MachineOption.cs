namespace Millwright.Scheduling.Model;

/// <summary>One machine an operation may run on, and how long it takes there.</summary>
public sealed record MachineOption(int Machine, int Duration);
