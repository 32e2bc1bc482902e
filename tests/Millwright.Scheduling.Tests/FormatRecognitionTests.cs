using Millwright.Scheduling.Parsing;

namespace Millwright.Scheduling.Tests;

/// <summary>How <see cref="InstanceFile"/> tells the classic format from the flexible one (docs/scheduling.md).</summary>
public sealed class FormatRecognitionTests
{
    [Fact]
    public void A_header_with_a_third_number_is_flexible_even_when_it_has_no_fraction()
    {
        var (instance, format) = InstanceFile.Parse("1 1 1\n1 1 1 5\n");

        Assert.Equal(InstanceFormat.Fjsp, format);
        Assert.Equal(5, instance.Jobs[0].Operations[0].Options[0].Duration);
    }

    [Fact]
    public void The_classic_and_flexible_benchmark_files_are_recognized()
    {
        Assert.All(Instances.Names, name => Assert.Equal(InstanceFormat.Jsp, InstanceFile.Parse(File.ReadAllBytes(Instances.Path(name))).Format));
        Assert.All(["mk01", "kacem1", "mt10c1"], name => Assert.Equal(InstanceFormat.Fjsp, InstanceFile.Parse(File.ReadAllBytes(Instances.FlexiblePath(name))).Format));
    }

    [Fact]
    public void A_two_number_header_file_that_reads_only_as_flexible_is_flexible()
    {
        // As a classic file, machine 1 does not exist among machines 0..0.
        Assert.Equal(InstanceFormat.Fjsp, InstanceFile.Parse("1 1\n1 1 1 5\n").Format);
        Assert.Equal(InstanceFormat.Jsp, InstanceFile.Parse("1 1\n0 5\n").Format);
    }

    [Fact]
    public void A_file_that_reads_both_ways_is_refused_unless_the_format_is_given()
    {
        // Classic: one job on machines 1, 1 and 2 (of 0..2); flexible: one operation on machine 1 or 2 (of 1..3).
        const string Both = "1 3\n1 2 1 1 2 2\n";

        var refusal = Assert.Throws<InstanceFormatException>(() => InstanceFile.Parse(Both));

        Assert.Contains("reads both as a classic (jsp) and as a flexible (fjsp)", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(3, InstanceFile.Parse(Both, format: InstanceFormat.Jsp).Instance.Jobs[0].Operations.Count);
        Assert.Equal(2, InstanceFile.Parse(Both, format: InstanceFormat.Fjsp).Instance.Jobs[0].Operations[0].Options.Count);
    }

    [Fact]
    public void A_file_that_fits_neither_is_refused_with_the_error_of_the_reading_that_got_further()
    {
        // Classic fails on line 2 (machine 2 of 0..1); flexible reads line 2 and fails on line 3's machine 0.
        var refusal = Assert.Throws<InstanceFormatException>(() => InstanceFile.Parse("2 2\n1 1 2 3\n1 1 0 4\n"));

        Assert.Equal((3, 5), (refusal.Line, refusal.Column));
        Assert.Contains("the file fits neither format; read as flexible (fjsp); as classic (jsp): line 2", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_given_format_is_read_strictly()
    {
        var refusal = Assert.Throws<InstanceFormatException>(() => InstanceFile.Parse("1 1\n0 5\n", format: InstanceFormat.Fjsp));

        Assert.Contains("a job needs 1..100000 operations, not 0", refusal.Message, StringComparison.Ordinal);
    }
}
