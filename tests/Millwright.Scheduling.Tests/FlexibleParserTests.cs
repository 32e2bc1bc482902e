using System.Text;
using Millwright.Scheduling.Parsing;

namespace Millwright.Scheduling.Tests;

/// <summary>The flexible job-shop file format: good files, and bad ones refused at the right line and column.</summary>
public sealed class FlexibleParserTests
{
    private static InstanceFormatException Refusal(string text) =>
        Assert.Throws<InstanceFormatException>(() => FlexibleJobShopFile.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Mk01_reads_as_ten_jobs_on_six_machines_numbered_from_zero()
    {
        var instance = FlexibleJobShopFile.Parse(File.ReadAllBytes(Instances.FlexiblePath("mk01")));

        Assert.Equal(6, instance.MachineCount);
        Assert.Equal(10, instance.Jobs.Count);
        Assert.Equal(55, instance.OperationCount);

        // Job 1 starts "6  2 1 5 3 4": six operations, the first on machine 1 (time 5) or 3 (time 4).
        var first = instance.Jobs[0].Operations[0].Options;
        Assert.Equal([(0, 5), (2, 4)], first.Select(o => (o.Machine, o.Duration)));
        Assert.False(instance.IsClassic);
    }

    [Fact]
    public void A_decimal_third_header_number_tabs_crlf_and_trailing_blank_lines_are_accepted()
    {
        var instance = FlexibleJobShopFile.Parse("2\t2   1.5\r\n2 1 1 3  2 1 4 2\t2\r\n1 1 2 5\r\n\r\n\n  \n");

        Assert.Equal(2, instance.Jobs.Count);
        Assert.Equal(2, instance.Jobs[0].Operations[1].Options.Count);
        Assert.Equal((1, 2), (instance.Jobs[0].Operations[1].Options[1].Machine, instance.Jobs[0].Operations[1].Options[1].Duration));
        Assert.Equal(5, instance.Jobs[1].Operations[0].Options[0].Duration);
    }

    [Theory]
    [InlineData("2 2\n1 0\n1 1 1 5\n", 2, 3, "operation 1 of 1: no machine can run it")]
    [InlineData("2 2\n2 1 1 3 1 3 4\n1 1 2 5\n", 2, 11, "machine 3 is out of range; machines are numbered 1..2")]
    [InlineData("2 2\n1 1 0 3\n1 1 2 5\n", 2, 5, "machine 0 is out of range")]
    [InlineData("2 2\n1 1 1 -3\n1 1 2 5\n", 2, 7, "negative time -3 on machine 1")]
    [InlineData("2 2\n2 1 1 3 2 1 4 2\n1 1 2 5\n", 2, 16, "the line ends early: expected the time of operation 2 of 2 on machine 2")]
    [InlineData("2 2\n2 1 1 3\n1 1 2 5\n", 2, 8, "the line ends early: expected the number of machines of operation 2 of 2")]
    [InlineData("2 2\n1 1 1 3 7\n1 1 2 5\n", 2, 9, "operations end before the line does")]
    [InlineData("2 2\n1 2 1 3 1 4\n1 1 2 5\n", 2, 9, "machine 1 is listed twice")]
    [InlineData("2 2\n1 3 1 3 2 4 1 1\n1 1 2 5\n", 2, 3, "lists 3 machines but there are only 2")]
    [InlineData("2 2\n0\n1 1 2 5\n", 2, 1, "a job needs 1..100000 operations, not 0")]
    [InlineData("2 2\n1 1 1 3\n", 2, 1, "announces 2 jobs but only 1 job lines follow")]
    [InlineData("1 2\n1 1 1 3\n1 1 1 3\n", 3, 1, "more job lines than the 1")]
    [InlineData("2 2 1.5 4\n", 1, 9, "the header must be")]
    [InlineData("2 2.5\n", 1, 4, "unexpected character '.' after a number")]
    [InlineData("2 2 1.\n", 1, 7, "a decimal point must be followed by digits")]
    [InlineData("0 2\n", 1, 1, "need 1..100000 jobs")]
    [InlineData("1 2\n1 1 1 1.5\n", 2, 8, "unexpected character '.' after a number")]
    [InlineData("1 2\n1 1 1 x\n", 2, 7, "unexpected character 'x'")]
    [InlineData("1 2\n1 1 1 200000000\n", 2, 7, "absurd")]
    [InlineData("1 2\n1 1 1 99999999999\n", 2, 7, "number too large")]
    [InlineData("\n\n", 2, 1, "no header line")]
    public void A_bad_flexible_file_is_refused_at_its_line_and_column(string text, int line, int column, string problem)
    {
        var refusal = Refusal(text);

        Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (refusal.Line, refusal.Column));
        Assert.StartsWith($"line {line}, column {column}: ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_line()
    {
        var refusal = Assert.Throws<InstanceFormatException>(() => FlexibleJobShopFile.Parse([.. "1 1\n1 1 1 "u8, 0xC3, 0x28]));

        Assert.Equal((2, 1), (refusal.Line, refusal.Column));
    }
}
