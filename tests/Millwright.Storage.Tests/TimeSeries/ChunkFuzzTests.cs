using Millwright.Fuzzing;
using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class ChunkFuzzTests
{
    [Fact]
    public void The_seeds_cover_every_encoding_and_timestamp_order_and_decode()
    {
        var seeds = ChunkFuzzTargets.Seeds();

        Assert.Equal([1, 2, 3], seeds.Select(s => (int)s[1]).Distinct().Order());
        Assert.Equal([0, 1, 2], seeds.TakeLast(3).Select(s => (int)s[4]));
        Assert.Contains(seeds, s => s[1] == 2 && TimeSeriesChunkTests.Decode(s).Values.Any(double.IsNaN)); // decimals with raw values
        Assert.All(seeds, seed => Assert.Equal(1, ChunkFuzzTargets.Check(seed)));
    }

    [Fact]
    public void Mutated_chunks_of_every_encoding_only_decode_or_fail_with_a_chunk_format_error()
    {
        var engine = ChunkFuzzTargets.Engine(2211);
        var accepted = 0;
        for (var i = 0; i < 150_000; i++)
        {
            // Check throws for anything but a ChunkFormatException from the decoders, or a broken promise.
            accepted += ChunkFuzzTargets.Check(engine.Next().Input);
        }

        // Some mutations (a flipped value bit) still decode: the decoders were reached past their first checks.
        Assert.InRange(accepted, 1000, 150_000);
    }
}
