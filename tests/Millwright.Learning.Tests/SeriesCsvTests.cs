namespace Millwright.Learning.Tests;

public sealed class SeriesCsvTests
{
    [Fact]
    public void A_nab_file_is_read_with_its_timestamps_kept_verbatim()
    {
        var rows = SeriesCsv.Parse("timestamp,value\r\n2014-04-01 00:00:00,20.5\r\n2014-04-01 00:05:00,-3e2\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal("2014-04-01 00:00:00", rows[0].TimestampText);
        Assert.Equal(new DateTimeOffset(2014, 4, 1, 0, 5, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), rows[1].TimestampMs);
        Assert.Equal(-300, rows[1].Value);
    }

    [Theory]
    [InlineData("time,value\n", 1, 5)]
    [InlineData("", 1, 1)]
    [InlineData("timestamp,value\n2014-04-01 00:00:00\n", 2, 20)]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\nyesterday,2\n", 3, 1)]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,twelve\n", 3, 21)]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1,2\n", 2, 22)]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n\n2014-04-01 00:10:00,1\n", 3, 1)]
    public void A_file_that_is_not_timestamp_value_is_refused_with_line_and_column(string text, int line, int column)
    {
        var e = Assert.Throws<SeriesFormatException>(() => SeriesCsv.Parse(text));
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
