using Millwright.Storage.TimeSeries;

namespace Millwright.Storage.Tests.TimeSeries;

public sealed class BitStreamTests
{
    [Fact]
    public void Fields_of_every_width_read_back_as_written()
    {
        var random = new Random(11);
        for (var run = 0; run < 300; run++)
        {
            var fields = Enumerable.Range(0, random.Next(1, 200)).Select(_ =>
            {
                var width = random.Next(65);
                var value = ((ulong)random.NextInt64() << 1) | (uint)random.Next(2);
                return (Width: width, Value: width == 64 ? value : value & ((1UL << width) - 1));
            }).ToArray();
            var writer = new BitWriter(1);
            foreach (var (width, value) in fields)
            {
                // Bits above the width are ignored.
                writer.Write(value | (width < 64 ? ~0UL << width : 0), width);
            }

            var bitCount = fields.Sum(f => (long)f.Width);
            Assert.Equal(bitCount, writer.BitCount);
            var bytes = writer.Finish().ToArray();
            Assert.Equal((bitCount + 7) / 8, bytes.Length);

            var reader = new BitReader(bytes);
            foreach (var (width, value) in fields)
            {
                Assert.Equal(value, reader.Read(width));
            }

            Assert.True(reader.Remaining < 8);
        }
    }

    [Fact]
    public void Reading_many_fields_at_once_matches_reading_them_one_by_one()
    {
        var random = new Random(12);
        var bytes = new byte[300];
        random.NextBytes(bytes);
        foreach (var width in new[] { 0, 1, 7, 33, 56, 57, 64 })
        {
            var count = (bytes.Length * 8 / Math.Max(width, 1)) - 1;
            count = Math.Min(count, 32);
            var single = new BitReader(bytes);
            var expected = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                expected[i] = single.Read(width);
            }

            var many = new BitReader(bytes);
            var actual = new ulong[count];

            many.ReadMany(width, actual);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Reading_past_the_end_is_a_chunk_format_error()
    {
        var reader = new BitReader([0xFF, 0x01]);
        reader.Read(9);

        Assert.Throws<ChunkFormatException>(() => ReadTooMuch([0xFF, 0x01], 9, 8));
        Assert.Throws<ChunkFormatException>(() => ReadTooMuch([], 0, 1));
        Assert.Throws<ChunkFormatException>(() => ReadTooMany([1, 2, 3], 8, 4));
        Assert.Equal(7, reader.Remaining);
    }

    private static ulong ReadTooMuch(byte[] bytes, int first, int second)
    {
        var reader = new BitReader(bytes);
        reader.Read(first);
        return reader.Read(second);
    }

    private static void ReadTooMany(byte[] bytes, int width, int count)
    {
        var reader = new BitReader(bytes);
        reader.ReadMany(width, new ulong[count]);
    }
}
