namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The points of one aligned bucket [Start, Start + width). <see cref="Increase"/> is set for counters: the sum of
/// the rises between consecutive points whose later point lies in the bucket, counting a reset from zero and a
/// wrap through the modulus.
/// </summary>
public sealed record AggregateBucket(long Start, long Count, double Min, double Max, double Avg, double First, double Last, double? Increase);
