namespace Millwright.Features.Sharing;

/// <summary>A provider's record on shared jobs the buyers rated: how many, how many on time, how many passed quality.</summary>
internal sealed record ProviderRecord(long Rated, long OnTime, long QualityPassed)
{
    public static readonly ProviderRecord None = new(0, 0, 0);

    /// <summary>
    /// 0..1, higher is better: the mean of the on-time and quality rates, each with one success and one failure
    /// added (Laplace's rule), so that a new provider starts at 0.5 rather than at either end.
    /// </summary>
    public double Score => (((OnTime + 1.0) / (Rated + 2.0)) + ((QualityPassed + 1.0) / (Rated + 2.0))) / 2;
}
