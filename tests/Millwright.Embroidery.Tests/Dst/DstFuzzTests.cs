using Millwright.Embroidery.Dst;
using Millwright.Fuzzing;

namespace Millwright.Embroidery.Tests.Dst;

/// <summary>
/// Uploaded DST files are untrusted: mutated files either read (and survive write and read again) or fail with
/// <see cref="DstFormatException"/> at an offset inside the file; nothing else escapes.
/// </summary>
public sealed class DstFuzzTests
{
    private const int Cases = 30_000;

    [Fact]
    public void Mutated_dst_files_read_or_fail_with_the_format_exception_at_a_byte_offset()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- dst`.
        var engine = DstFuzzing.Engine(20261206);
        int read = 0, refused = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                DstFuzzing.Check(input);
                DstReader.Read(input);
                read++;
            }
            catch (DstFormatException e)
            {
                Assert.InRange(e.Offset, 0, input.Length);
                refused++;
            }
        }

        // Both outcomes are reached: the mutations get past the header into the records and beyond.
        Assert.InRange(read, Cases / 20, Cases - 1);
        Assert.InRange(refused, Cases / 20, Cases - 1);
    }
}
