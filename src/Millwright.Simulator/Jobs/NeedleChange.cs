namespace Millwright.Simulator.Jobs;

/// <summary>A colour block's needle (from 1), and whether the machine waits for the operator to thread it.</summary>
internal readonly record struct NeedleChange(int Needle, bool Rethread);
