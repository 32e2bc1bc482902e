using Millwright.Embroidery.Dst;

namespace Millwright.Embroidery.Tests.Dst;

/// <summary>
/// Golden records worked out by hand from the format description: trits of weight 1, 3, 9, 27, 81; X's +/- bits
/// are 0x01/0x02 (1, 3) and 0x04/0x08 (9, 27, 81), Y's are 0x80/0x40 (1, 3) and 0x20/0x10 (9, 27, 81); weights 1
/// and 9 sit in byte 1, 3 and 27 in byte 2, 81 in byte 3 with the flags; byte 3's low two bits are always set.
/// </summary>
public sealed class DstRecordTests
{
    [Theory]
    [InlineData(0, 0, "000003")]
    [InlineData(1, 0, "010003")]
    [InlineData(0, 1, "800003")]
    [InlineData(-1, 0, "020003")]
    [InlineData(0, -1, "400003")]
    [InlineData(2, 0, "020103")] // 3 - 1
    [InlineData(5, -7, "568203")] // x = 9 - 3 - 1, y = -9 + 3 - 1
    [InlineData(40, 0, "050503")] // 27 + 9 + 3 + 1
    [InlineData(41, 0, "0A0A07")] // 81 - 27 - 9 - 3 - 1
    [InlineData(121, 121, "A5A527")]
    [InlineData(-121, -121, "5A5A1B")]
    public void A_stitch_record_has_the_bits_of_its_balanced_ternary_move(int dx, int dy, string hex)
    {
        var record = new byte[3];
        DstRecord.Encode(record, dx, dy, 0);
        Assert.Equal(hex, Convert.ToHexString(record));
        Assert.Equal((dx, dy), DstRecord.Decode(record));
    }

    [Fact]
    public void Every_move_within_121_units_encodes_and_decodes_to_itself()
    {
        var record = new byte[3];
        for (var dx = -121; dx <= 121; dx++)
        {
            for (var dy = -121; dy <= 121; dy += 11)
            {
                DstRecord.Encode(record, dx, dy, DstRecord.JumpFlag);
                Assert.Equal((dx, dy), DstRecord.Decode(record));
                Assert.Equal(0x83, record[2] & 0xC3);
            }
        }
    }

    [Fact]
    public void A_move_of_122_units_does_not_fit_one_record()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DstRecord.Encode(new byte[3], 122, 0, 0));
    }

    [Fact]
    public void A_trit_with_both_bits_set_decodes_to_nothing()
    {
        Assert.Null(DstRecord.Decode(Convert.FromHexString("030003")));
    }
}
