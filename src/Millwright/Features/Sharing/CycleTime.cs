namespace Millwright.Features.Sharing;

/// <summary>The median unit time a machine achieved on a process in its last finished jobs, and how many jobs that is.</summary>
internal readonly record struct CycleTime(double UnitSeconds, int Samples);
