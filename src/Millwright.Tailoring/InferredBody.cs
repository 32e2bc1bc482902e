namespace Millwright.Tailoring;

/// <summary>A completed body: per model column the value and its 90 % prediction interval (a given value is its own interval).</summary>
public sealed record InferredBody(double[] Values, double[] Low, double[] High, bool[] Given);
