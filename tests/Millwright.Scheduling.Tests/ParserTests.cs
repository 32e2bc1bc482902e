using System.Text;
using Millwright.Scheduling.Parsing;

namespace Millwright.Scheduling.Tests;

/// <summary>The instance file format: good files, and bad ones refused at the right line and column.</summary>
public sealed class ParserTests
{
    private static InstanceFormatException Refusal(string text) => Assert.Throws<InstanceFormatException>(() => JobShopFile.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Ft06_reads_as_six_jobs_of_six_operations()
    {
        var instance = Instances.Load("ft06");

        Assert.Equal(6, instance.MachineCount);
        Assert.Equal(6, instance.Jobs.Count);
        Assert.All(instance.Jobs, j => Assert.Equal(6, j.Operations.Count));
        Assert.Equal((2, 1), (instance.Jobs[0].Operations[0].Options[0].Machine, instance.Jobs[0].Operations[0].Options[0].Duration));
        Assert.Equal((2, 1), (instance.Jobs[5].Operations[5].Options[0].Machine, instance.Jobs[5].Operations[5].Options[0].Duration));
        Assert.True(instance.IsClassic);
    }

    [Fact]
    public void Comments_blank_lines_tabs_and_crlf_are_accepted()
    {
        var instance = JobShopFile.Parse("# a comment\r\n\r\n2 2\r\n0\t3 1 2\r\n  # inside\r\n1 4 0 1\r\n");

        Assert.Equal(2, instance.Jobs.Count);
        Assert.Equal(4, instance.Jobs[1].Operations[0].Options[0].Duration);
    }

    [Theory]
    [InlineData("2 2\n0 3 1 x\n1 4 0 1\n", 2, 7, "unexpected character 'x'")]
    [InlineData("2 2\n0 3 1 -2\n1 4 0 1\n", 2, 7, "negative numbers are not allowed")]
    [InlineData("2 2\n0 3 1\n1 4 0 1\n", 2, 6, "\"machine time\" pairs; it has 3 numbers")]
    [InlineData("2 2\n0 3 1 2\n", 2, 1, "announces 2 jobs but only 1 job lines follow")]
    [InlineData("2 2\n0 3 1 2\n1 4 0 1\n0 1 1 1\n", 4, 1, "more job lines than the 2")]
    [InlineData("2 2\n0 3 2 2\n1 4 0 1\n", 2, 5, "machine 2 does not exist")]
    [InlineData("2\n0 3 2 2\n", 1, 2, "the header must be two numbers")]
    [InlineData("0 2\n", 1, 1, "need 1..100000 jobs")]
    [InlineData("2 2\n0 3 1 200000000\n1 4 0 1\n", 2, 7, "absurd")]
    [InlineData("2 2\n0 3 1 99999999999\n1 4 0 1\n", 2, 7, "number too large")]
    [InlineData("# only a comment\n", 1, 1, "no header line")]
    [InlineData("2 2\n0 3 1 2\n\n", 3, 1, "only 1 job lines follow")]
    [InlineData("1 1\n\n", 2, 1, "only 0 job lines follow")]
    public void A_bad_file_is_refused_at_its_line_and_column(string text, int line, int column, string problem)
    {
        var refusal = Refusal(text);

        Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (refusal.Line, refusal.Column));
        Assert.StartsWith($"line {line}, column {column}: ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_line()
    {
        var refusal = Assert.Throws<InstanceFormatException>(() => JobShopFile.Parse([.. "1 1\n"u8, 0xC3, 0x28]));

        Assert.Equal(2, refusal.Line);
        Assert.Contains("UTF-8", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_instance_whose_horizon_is_absurd_is_refused_at_the_header()
    {
        var refusal = Refusal("11 1\n" + string.Concat(Enumerable.Repeat("0 100000000\n", 11)));

        Assert.Equal((1, 1), (refusal.Line, refusal.Column));
        Assert.Contains("use a coarser time unit", refusal.Message, StringComparison.Ordinal);
    }
}
