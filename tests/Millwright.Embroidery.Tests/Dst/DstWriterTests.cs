using System.Text;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Dst;

public sealed class DstWriterTests
{
    private static readonly StitchPattern Small = new(
        [
            StitchCommand.Stitch(10, 0),
            StitchCommand.Stitch(10, 20),
            new(StitchKind.Trim, 10, 20),
            StitchCommand.Jump(260, -30),
            new(StitchKind.ColorChange, 260, -30),
            StitchCommand.Stitch(250, -30),
        ],
        [ThreadColor.Parse("#ff0000"), ThreadColor.Parse("#0000ff")]);

    [Fact]
    public void The_header_is_512_bytes_of_fixed_width_fields_then_0x1A_and_spaces()
    {
        var file = DstWriter.Write(Small, "heart");
        // 2 stitches, 3 trim jumps, 3 jump records (250 units: 83 + 84 + 83), 1 colour change, 1 stitch = 10 records.
        var expected = "LA:heart           \r" + "ST:     10\r" + "CO:  1\r" + "+X:  260\r" + "-X:    0\r" + "+Y:   20\r" + "-Y:   30\r" +
            "AX:+  250\r" + "AY:-   30\r" + "MX:+    0\r" + "MY:+    0\r" + "PD:******\r" + "\x1A";
        Assert.Equal(expected, Encoding.ASCII.GetString(file, 0, expected.Length));
        Assert.Equal(124, expected.Length - 1);
        Assert.All(file[expected.Length..512], b => Assert.Equal((byte)' ', b));
        Assert.Equal(512 + 11 * 3, file.Length);
    }

    [Fact]
    public void The_records_are_stitches_trim_split_jump_colour_change_and_end()
    {
        var body = Convert.ToHexString(DstWriter.Write(Small, "heart")[512..]);
        string[] expected =
        [
            "050003", // x +10 = 9 + 1
            "50A003", // y +20 = 27 - 9 + 3 - 1
            "000083", "000083", "000083", // trim: three jumps that do not move
            "A21187", // jump (250, -50) in three: x 83 = 81 + 3 - 1, y -17 = -27 + 9 + 1
            "609187", // x 84 = 81 + 3, y -16 = -27 + 9 + 3 - 1
            "A21187", // x 83, y -17
            "0000C3", // colour change
            "0A0003", // x -10 = -9 - 1
            "0000F3", // end
        ];
        Assert.Equal(string.Concat(expected), body);
    }

    [Fact]
    public void A_long_jump_is_split_into_records_of_at_most_121_units_per_axis_that_add_up()
    {
        var pattern = new StitchPattern([StitchCommand.Jump(1000, -500), StitchCommand.Stitch(1001, -500)], StitchPattern.DefaultThreads(1));
        var body = DstWriter.Write(pattern, "far")[512..];
        var records = body.Length / 3 - 2;
        Assert.Equal(9, records); // ceil(1000 / 121)
        int x = 0, y = 0;
        for (var i = 0; i < records; i++)
        {
            var move = DstRecord.Decode(body.AsSpan(i * 3, 3))!.Value;
            Assert.InRange(Math.Abs(move.Dx), 0, 121);
            Assert.InRange(Math.Abs(move.Dy), 0, 121);
            Assert.Equal(0x83, body[i * 3 + 2] & 0xC3);
            (x, y) = (x + move.Dx, y + move.Dy);
        }

        Assert.Equal((1000, -500), (x, y));
    }

    [Fact]
    public void A_stitch_longer_than_one_record_is_refused_rather_than_turned_into_a_jump()
    {
        var pattern = new StitchPattern([StitchCommand.Stitch(122, 0)], StitchPattern.DefaultThreads(1));
        Assert.Throws<ArgumentException>(() => DstWriter.Write(pattern, "long"));
    }
}
