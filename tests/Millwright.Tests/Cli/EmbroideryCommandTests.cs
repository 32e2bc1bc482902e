using Millwright.Cli;
using Millwright.Embroidery.Dst;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright embroidery digitize</c>: the example badge to a DST and a preview, and the refusals.</summary>
public sealed class EmbroideryCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-embroidery-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Badge()
    {
        var path = Path.Combine(_directory, "badge.svg");
        File.WriteAllText(path, """
            <svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="20mm" viewBox="0 0 40 20">
              <rect x="2" y="2" width="20" height="16" fill="#c62828"/><circle cx="30" cy="10" r="6" fill="none" stroke="#1f3a93" stroke-width="1.5"/>
              <text x="1" y="1">logo</text>
            </svg>
            """);
        return path;
    }

    private (int Code, string Out, string Err) Run(string design, string? preview = null, float? width = null, string fabric = "woven", string? hoop = null, int? colors = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = EmbroideryCommand.Run(design, Path.Combine(_directory, "out.dst"), preview, width, colors, fabric, hoop, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Digitize_writes_a_dst_and_a_preview_and_prints_the_stats()
    {
        var preview = Path.Combine(_directory, "preview.png");
        var (code, output, errors) = Run(Badge(), preview, width: 60, fabric: "knit", hoop: "100x100");
        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Contains("colour changes  1  (#c62828 #1f3a93)", output, StringComparison.Ordinal);
        Assert.Contains("size            6", output, StringComparison.Ordinal);
        Assert.Contains("not embroidered: text", errors, StringComparison.Ordinal);
        var dst = DstReader.Read(File.ReadAllBytes(Path.Combine(_directory, "out.dst")));
        Assert.Contains($"stitches        {dst.Pattern.StitchCount:N0}", output, StringComparison.Ordinal);
        Assert.Equal(1, dst.Header.ColorChanges);
        Assert.Equal(0x89, File.ReadAllBytes(preview)[0]);
    }

    [Fact]
    public void An_output_ending_in_exp_is_written_as_melco_exp_with_the_same_stitches_as_the_dst()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var dstPath = Path.Combine(_directory, "same.dst");
        var expPath = Path.Combine(_directory, "same.exp");
        Assert.Equal(ExitCodes.Ok, EmbroideryCommand.Run(Badge(), dstPath, null, 60, null, "woven", null, stdout, stderr));
        Assert.Equal(ExitCodes.Ok, EmbroideryCommand.Run(Badge(), expPath, null, 60, null, "woven", null, stdout, stderr));
        var exp = Millwright.Embroidery.Exp.ExpReader.Read(File.ReadAllBytes(expPath));
        Assert.Equal(DstReader.Read(File.ReadAllBytes(dstPath)).Pattern.Commands, exp.Commands);
        Assert.Equal(1, exp.ColorChanges);
    }

    [Fact]
    public void A_design_too_large_for_the_hoop_a_malformed_one_and_an_empty_one_exit_with_invalid_input()
    {
        Assert.Equal(ExitCodes.InvalidInput, Run(Badge(), hoop: "30x30").Code);
        var bad = Path.Combine(_directory, "bad.svg");
        File.WriteAllText(bad, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect");
        var (code, _, errors) = Run(bad);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("malformed design", errors, StringComparison.Ordinal);
        File.WriteAllText(bad, "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>hi</text></svg>");
        Assert.Contains("nothing to embroider", Run(bad).Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "out.dst")));
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        Assert.Equal(ExitCodes.Usage, Run(Badge(), fabric: "denim").Code);
        Assert.Equal(ExitCodes.Usage, Run(Badge(), hoop: "big").Code);
        Assert.Equal(ExitCodes.Usage, Run(Badge(), colors: 3).Code);
        Assert.Equal(ExitCodes.Usage, Run(Path.Combine(_directory, "logo.png"), colors: 13).Code);
    }

    [Fact]
    public void A_png_logo_is_traced_in_the_colours_asked_for()
    {
        var logo = Path.Combine(_directory, "logo.png");
        File.WriteAllBytes(logo, Embroidery.TestLogos.TwoColourPng());

        var (code, output, errors) = Run(logo, width: 40, colors: 2);

        Assert.True(code == 0, errors);
        Assert.Contains("colour changes  1", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "out.dst")));
    }
}
