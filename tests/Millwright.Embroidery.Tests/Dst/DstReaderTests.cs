using System.Text;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Dst;

public sealed class DstReaderTests
{
    private static readonly StitchPattern Pattern = new(
        [
            StitchCommand.Stitch(10, 0),
            StitchCommand.Stitch(10, 20),
            new(StitchKind.Trim, 10, 20),
            StitchCommand.Jump(-2600, 1300),
            new(StitchKind.ColorChange, -2600, 1300),
            StitchCommand.Stitch(-2590, 1300),
            StitchCommand.Jump(-2500, 1300),
            new(StitchKind.Trim, -2500, 1300),
            StitchCommand.Stitch(-2500, 1301),
        ],
        StitchPattern.DefaultThreads(2));

    [Fact]
    public void Writing_then_reading_gives_the_same_commands_and_header()
    {
        var file = DstReader.Read(DstWriter.Write(Pattern, "round trip"));
        Assert.Equal(Pattern.Commands, file.Pattern.Commands);
        Assert.Equal(new DstHeader("round trip", 2 + 3 + 22 + 1 + 1 + 1 + 3 + 1, 1, 10, 2600, 1301, 0, -2500, 1301), file.Header);
    }

    [Fact]
    public void Bytes_after_the_end_record_are_ignored()
    {
        var bytes = DstWriter.Write(Pattern, "x").Concat(new byte[] { 0x1A, 0x00 }).ToArray();
        Assert.Equal(Pattern.Commands, DstReader.Read(bytes).Pattern.Commands);
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_refused_at_its_end()
    {
        var e = Assert.Throws<DstFormatException>(() => DstReader.Read(new byte[100]));
        Assert.Equal(100, e.Offset);
    }

    [Fact]
    public void A_wrong_header_tag_is_refused_at_the_tag()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        bytes[31] = (byte)'X';
        var e = Assert.Throws<DstFormatException>(() => DstReader.Read(bytes));
        Assert.Equal(31, e.Offset);
        Assert.Contains("CO:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_number_that_is_not_digits_is_refused_at_its_value()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        Encoding.ASCII.GetBytes("12a4567").CopyTo(bytes, 23);
        Assert.Equal(23, Assert.Throws<DstFormatException>(() => DstReader.Read(bytes)).Offset);
    }

    [Fact]
    public void A_truncated_record_is_refused_at_its_first_byte()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        var cut = bytes[..(512 + 3 * 4 + 2)];
        var e = Assert.Throws<DstFormatException>(() => DstReader.Read(cut));
        Assert.Equal(512 + 12, e.Offset);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_without_an_end_are_refused_at_the_end_of_the_file()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        var e = Assert.Throws<DstFormatException>(() => DstReader.Read(bytes.AsSpan(..^3)));
        Assert.Equal(bytes.Length - 3, e.Offset);
    }

    [Fact]
    public void A_record_without_its_control_bits_is_refused_at_the_record()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        bytes[512 + 3 + 2] = 0x00;
        Assert.Equal(512 + 3, Assert.Throws<DstFormatException>(() => DstReader.Read(bytes)).Offset);
    }

    [Fact]
    public void A_record_with_both_bits_of_a_trit_set_is_refused_at_the_record()
    {
        var bytes = DstWriter.Write(Pattern, "x");
        bytes[512 + 6] = 0x03;
        bytes[512 + 7] = 0x00;
        bytes[512 + 8] = 0x03;
        var e = Assert.Throws<DstFormatException>(() => DstReader.Read(bytes));
        Assert.Equal(512 + 6, e.Offset);
        Assert.Contains("both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_jump_records_read_as_one_jump_and_three_still_ones_as_a_trim()
    {
        var bytes = DstWriter.Write(new StitchPattern([], StitchPattern.DefaultThreads(1)), "x")[..512]
            .Concat(Convert.FromHexString("010083" + "010083" + "000083" + "000083" + "000083" + "000083" + "800083" + "010003" + "0000F3")).ToArray();
        var commands = DstReader.Read(bytes).Pattern.Commands;
        Assert.Equal(
            [StitchCommand.Jump(2, 0), new StitchCommand(StitchKind.Trim, 2, 0), StitchCommand.Jump(2, 1), StitchCommand.Stitch(3, 1)],
            commands);
    }
}
