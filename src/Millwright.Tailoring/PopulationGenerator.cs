namespace Millwright.Tailoring;

/// <summary>
/// Draws a population into a <see cref="BodyTable"/>: males first, then females. Work is cut into chunks of
/// <see cref="ChunkSize"/> bodies, each with its own random stream derived from (seed, sex, chunk), so the table is
/// the same for a seed whatever the number of threads.
/// </summary>
public static class PopulationGenerator
{
    public const int ChunkSize = 1 << 15;

    /// <summary>Largest population accepted at all (an int index per body, and the kNN's index arrays).</summary>
    public const long MaxSize = 200_000_000;

    /// <summary>Bytes the generation needs: the table plus the k-NN's later working set is not counted.</summary>
    public static long BytesNeeded(long size, int columns) => BodyTable.BytesFor(size, columns);

    /// <summary>Null when a population of this size fits in memory; otherwise why not.</summary>
    public static string? RefusalFor(long size, int columns, long availableBytes)
    {
        if (size is < 1 or > MaxSize)
        {
            return $"--size must be 1..{MaxSize:N0}";
        }

        var needed = BytesNeeded(size, columns);

        // Half of what the runtime may use: the rest is for loading it back, the k-NN index and the host.
        return needed > availableBytes / 2
            ? $"{size:N0} bodies need {needed / (1 << 20):N0} MiB; only {availableBytes / (1 << 20):N0} MiB is available to this process (at most half of it is used)"
            : null;
    }

    public static BodyTable Generate(PopulationModel male, PopulationModel female, int size, double maleShare, ulong seed,
        Action<int>? chunkDone, CancellationToken ct)
    {
        if (!male.Names.SequenceEqual(female.Names))
        {
            throw new ArgumentException("the two models must have the same columns", nameof(female));
        }

        var males = (int)Math.Round(size * maleShare);
        var columns = new ushort[male.Dimension][];
        for (var j = 0; j < columns.Length; j++)
        {
            columns[j] = new ushort[size];
        }

        var sexes = new byte[size];
        sexes.AsSpan(males).Fill((byte)Sex.Female);
        var maleChunks = (males + ChunkSize - 1) / ChunkSize;
        var femaleChunks = (size - males + ChunkSize - 1) / ChunkSize;
        var options = new ParallelOptions { CancellationToken = ct };
        Parallel.For(0, maleChunks + femaleChunks, options, chunk =>
        {
            var isMale = chunk < maleChunks;
            var index = isMale ? chunk : chunk - maleChunks;
            var start = (isMale ? 0 : males) + index * ChunkSize;
            var end = Math.Min(isMale ? males : size, start + ChunkSize);
            Fill(isMale ? male : female, columns, start, end, Xoshiro.ForStream(seed, ((ulong)(isMale ? 0 : 1) << 32) | (uint)index), ct);
            chunkDone?.Invoke(end - start);
        });

        return new BodyTable(male.Names, columns, sexes);
    }

    private static void Fill(PopulationModel model, ushort[][] columns, int start, int end, Xoshiro rng, CancellationToken ct)
    {
        var scratch = new double[2 * model.Dimension];
        var body = new double[model.Dimension];
        for (var i = start; i < end; i++)
        {
            if ((i & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            model.Generate(ref rng, scratch, body);
            for (var j = 0; j < body.Length; j++)
            {
                columns[j][i] = (ushort)Math.Clamp(Math.Round(body[j]), 1, ushort.MaxValue);
            }
        }
    }
}
