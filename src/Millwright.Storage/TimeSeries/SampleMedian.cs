namespace Millwright.Storage.TimeSeries;

/// <summary>
/// The median of at most 255 evenly spaced values: a base for residuals only has to be central, not exact
/// (the decoder just adds it back), and sorting a whole day's deltas would dominate the encoder.
/// </summary>
internal static class SampleMedian
{
    private const int SampleSize = 255;

    public static long Of(ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        Span<long> sample = stackalloc long[Math.Min(SampleSize, values.Length)];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = values[(int)((long)i * values.Length / sample.Length)];
        }

        sample.Sort();
        return sample[sample.Length / 2];
    }
}
