namespace Millwright.Tailoring.Sizing;

/// <summary>
/// One control measurement of a size chart (an ANSUR II column, mm): its value at the chart's base size, its grade
/// rules (the change per girth step and per height step), and how much it counts when choosing the best base size
/// (a deviation of one <see cref="Tolerance"/> costs <see cref="Weight"/>).
/// </summary>
public sealed record ControlMeasurement(string Name, double Base, double PerGirthStep, double PerHeightStep, double Tolerance, double Weight);
