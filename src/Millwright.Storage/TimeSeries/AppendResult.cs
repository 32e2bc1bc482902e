namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The outcome of one append, returned only after the accepted points are durable. Duplicates (a series and
/// timestamp already stored, or repeated in the batch) are not errors: the first value stays.
/// </summary>
public sealed record AppendResult(int Accepted, int Duplicates, IReadOnlyList<RejectedPoint> Rejected);
