using CsCheck;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Exp;
using Millwright.Embroidery.Stitches;
using Millwright.Fuzzing;

namespace Millwright.Embroidery.Tests.Exp;

public sealed class ExpTests
{
    // (kind 0..3, dx, dy): stitches move at most one record, jumps anywhere within a metre.
    private static readonly Gen<(int Kind, int Dx, int Dy)[]> Steps =
        Gen.Select(Gen.Int[0, 9], Gen.Int[-127, 127], Gen.Int[-127, 127], Gen.Int[-5000, 5000], Gen.Int[-5000, 5000])
            .Select((k, sx, sy, jx, jy) => k switch
            {
                < 6 => (0, sx, sy),
                < 8 => (1, jx, jy),
                8 => (2, 0, 0),
                _ => (3, 0, 0),
            })
            .Array[0, 300];

    [Fact]
    public void Records_are_written_as_the_format_lays_them_out()
    {
        // A stitch (+10, -3), a jump of 300 units right (three records of 100), a trim, a colour change, a stitch (-127, +127).
        var pattern = new StitchPattern(
        [
            StitchCommand.Stitch(10, -3), StitchCommand.Jump(310, -3), new(StitchKind.Trim, 310, -3), new(StitchKind.ColorChange, 310, -3), StitchCommand.Stitch(183, 124),
        ], StitchPattern.DefaultThreads(2));

        Assert.Equal(
            [0x0A, 0xFD, 0x80, 0x04, 0x64, 0x00, 0x80, 0x04, 0x64, 0x00, 0x80, 0x04, 0x64, 0x00, 0x80, 0x80, 0x07, 0x00, 0x80, 0x01, 0x00, 0x00, 0x81, 0x7F],
            ExpWriter.Write(pattern));
        Assert.Equal(pattern.Commands, ExpReader.Read(ExpWriter.Write(pattern)).Commands);
    }

    [Fact]
    public void Any_canonical_pattern_reads_back_exactly_as_written_and_as_its_dst_reads()
    {
        Steps.Sample(steps =>
        {
            var pattern = Canonical(steps);
            var read = ExpReader.Read(ExpWriter.Write(pattern));
            Assert.Equal(pattern.Commands, read.Commands);
            Assert.Equal(pattern.ColorChanges, read.ColorChanges);
        }, iter: 300);
    }

    [Fact]
    public void A_digitized_style_pattern_gives_the_same_stitches_in_exp_as_in_dst()
    {
        // Stitches within a DST record, so the same pattern is valid in both formats and both readers agree.
        Gen.Select(Gen.Int[-121, 121], Gen.Int[-121, 121]).Array[1, 200].Sample(moves =>
        {
            int x = 0, y = 0;
            var commands = moves.Select(m => StitchCommand.Stitch(x += m.Item1, y += m.Item2)).ToList();
            var pattern = new StitchPattern(commands, StitchPattern.DefaultThreads(1));
            Assert.Equal(DstReader.Read(DstWriter.Write(pattern, "both")).Pattern.Commands, ExpReader.Read(ExpWriter.Write(pattern)).Commands);
        }, iter: 100);
    }

    [Theory]
    [InlineData(new byte[] { 0x05 }, 0, "stitch record cut short")]
    [InlineData(new byte[] { 0x05, 0x05, 0x80, 0x04, 0x01 }, 2, "control record cut short")]
    [InlineData(new byte[] { 0x05, 0x05, 0x80, 0x33, 0x00, 0x00 }, 3, "unknown control code 0x33")]
    [InlineData(new byte[] { 0x05, 0x80 }, 0, "moves -128")]
    [InlineData(new byte[] { 0x80, 0x02, 0x80, 0x00 }, 2, "moves -128")]
    public void Broken_files_are_refused_with_the_byte_offset(byte[] data, int offset, string reason)
    {
        var e = Assert.Throws<ExpFormatException>(() => ExpReader.Read(data));
        Assert.Equal(offset, e.Offset);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_colour_change_that_carries_a_move_is_followed_by_a_jump_there()
    {
        var pattern = ExpReader.Read([0x80, 0x01, 0x00, 0x81]);
        Assert.Equal([new StitchCommand(StitchKind.ColorChange, 0, 0), StitchCommand.Jump(0, -127)], pattern.Commands);
    }

    [Fact]
    public void Mutated_exp_files_read_or_fail_with_the_format_exception_at_a_byte_offset()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- exp`.
        var engine = ExpFuzzing.Engine(20261206);
        int read = 0, refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (_, input) = engine.Next();
            if (ExpFuzzing.Check(input) is null)
            {
                refused++;
            }
            else
            {
                read++;
            }
        }

        Assert.InRange(read, 1_000, 19_999);
        Assert.InRange(refused, 1_000, 19_999);
    }

    /// <summary>What the digitizer emits: no jump after a jump, no jump that stays put, no trim after a trim.</summary>
    private static StitchPattern Canonical((int Kind, int Dx, int Dy)[] steps)
    {
        var commands = new List<StitchCommand>();
        int x = 0, y = 0;
        foreach (var (kind, dx, dy) in steps)
        {
            var last = commands.Count > 0 ? commands[^1].Kind : (StitchKind?)null;
            switch (kind)
            {
                case 0:
                    (x, y) = (x + dx, y + dy);
                    commands.Add(StitchCommand.Stitch(x, y));
                    break;
                case 1 when last != StitchKind.Jump && (dx, dy) != (0, 0):
                    (x, y) = (x + dx, y + dy);
                    commands.Add(StitchCommand.Jump(x, y));
                    break;
                case 2 when last != StitchKind.Trim:
                    commands.Add(new StitchCommand(StitchKind.Trim, x, y));
                    break;
                case 3:
                    commands.Add(new StitchCommand(StitchKind.ColorChange, x, y));
                    break;
            }
        }

        var changes = commands.Count(c => c.Kind == StitchKind.ColorChange);
        return new StitchPattern(commands, StitchPattern.DefaultThreads(changes + 1));
    }
}
