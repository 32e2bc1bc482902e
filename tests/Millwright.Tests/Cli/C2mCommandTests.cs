using System.Diagnostics;
using Millwright.Cli;
using Millwright.Tailoring;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright c2m</c> run as the real program on the ANSUR II data set (found as Ansur.FindDirectory does).</summary>
public sealed class C2mCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-c2m-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Population_writes_the_platform_wide_file_that_loads_back_with_the_share_asked()
    {
        var data = Path.Combine(_directory, "data");

        var (code, output, errors) = await RunAsync("c2m", "population", "--size", "3000", "--seed", "4", "--male-share", "0.25", "--data", data);

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Contains("3,000 bodies (750 men, 2,250 women)", output, StringComparison.Ordinal);
        Assert.Contains("[", errors, StringComparison.Ordinal);
        var table = BodyFile.Read(BodyFile.PathUnder(data));
        Assert.Equal(3000, table.Count);
        Assert.Equal(94, table.Names.Count);
        Assert.Equal([BodyFile.FileName], Directory.GetFiles(Path.Combine(data, "c2m")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Population_refuses_a_size_it_cannot_hold_and_writes_nothing()
    {
        var data = Path.Combine(_directory, "data");

        // A 1 GiB heap limit makes the machine's memory irrelevant: 20 million bodies need 3.6 GiB.
        var (code, _, errors) = await RunAsync(["c2m", "population", "--size", "20000000", "--data", data], ("DOTNET_GCHeapHardLimit", "0x40000000"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("20,000,000 bodies need 3,604 MiB; only 1,024 MiB is available", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Infer_completes_the_bodies_and_passes_the_given_values_through()
    {
        var input = Path.Combine(_directory, "in.csv");
        var output = Path.Combine(_directory, "out.csv");
        await File.WriteAllTextAsync(input, "id,stature,weightkg,chestcircumference,waistcircumference\nc1,1650,640,900,780\nc2,1702,,,\n");

        var (code, _, errors) = await RunAsync("c2m", "infer", input, "--sex", "female", "-o", output);

        Assert.True(code == ExitCodes.Ok, errors);
        var lines = await File.ReadAllLinesAsync(output);
        var header = lines[0].Split(',');
        Assert.Equal(3, lines.Length);
        Assert.Equal("id", header[0]);
        foreach (var name in Ansur.TailoringMeasurements)
        {
            Assert.Contains(name, header);
        }

        var first = lines[1].Split(',');
        Assert.Equal("c1", first[0]);
        Assert.Equal("1650", first[Array.IndexOf(header, "stature")]);
        Assert.Equal("", first[Array.IndexOf(header, "lo90_stature")]);
        var neck = int.Parse(first[Array.IndexOf(header, "neckcircumference")], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(neck, 280, 380);
    }

    [Fact]
    public async Task Infer_refuses_an_implausible_row_naming_line_measurement_and_range_and_writes_nothing()
    {
        var input = Path.Combine(_directory, "in.csv");
        var output = Path.Combine(_directory, "out.csv");
        await File.WriteAllTextAsync(input, "id,stature,weightkg\nok,1780,820\ninches,70,820\n");

        var (code, _, errors) = await RunAsync("c2m", "infer", input, "--sex", "male", "-o", output);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Matches(@"line 3 \(id inches\): refused: stature 70 is outside the plausible range \d+\.\.\d+ mm \(looks like inches", errors);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Infer_refuses_a_malformed_file_with_line_and_column()
    {
        var input = Path.Combine(_directory, "in.csv");
        await File.WriteAllTextAsync(input, "id,stature\n1,1700\n2,abc\n");

        var (code, _, errors) = await RunAsync("c2m", "infer", input, "--sex", "male", "-o", Path.Combine(_directory, "out.csv"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("in.csv: line 3, column 2: 'abc' in column stature is not a number", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pattern_writes_svg_and_dxf_per_body_with_its_base_size_and_marker_efficiency()
    {
        var input = Path.Combine(_directory, "in.csv");
        var output = Path.Combine(_directory, "patterns");
        await File.WriteAllTextAsync(input, "id,stature,weightkg,chestcircumference,waistcircumference\nc/1,1780,820,1020,890\n");

        var (code, stdout, errors) = await RunAsync("c2m", "pattern", input, "--sex", "male", "--garment", "trousers", "-o", output);

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Matches(@"\[1/1\] c/1: trousers, menswear base size \d+-\d+; chestcircumference [+-]?\d+.*efficiency \d+\.\d %", stdout);
        Assert.Equal(["c_1-trousers-marker.svg", "c_1-trousers.dxf", "c_1-trousers.svg"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var dxf = await File.ReadAllTextAsync(Path.Combine(output, "c_1-trousers.dxf"));
        Assert.Contains("Piece Name: front", dxf, StringComparison.Ordinal);
        Assert.EndsWith("EOF\n", dxf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pattern_drafts_a_womans_skirt_on_the_womenswear_chart()
    {
        var input = Path.Combine(_directory, "in.csv");
        var output = Path.Combine(_directory, "skirts");
        await File.WriteAllTextAsync(input, "id,stature,weightkg,chestcircumference,waistcircumference,buttockcircumference\nw1,1640,640,920,820,1000\n");

        var (code, stdout, errors) = await RunAsync("c2m", "pattern", input, "--sex", "female", "--garment", "skirt", "-o", output);

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Matches(@"\[1/1\] w1: skirt, womenswear base size \d+-\d+;.*efficiency \d+\.\d %", stdout);
        var dxf = await File.ReadAllTextAsync(Path.Combine(output, "w1-skirt.dxf"));
        Assert.Contains("Piece Name: waistband", dxf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pattern_refuses_a_block_of_the_other_sex_and_an_implausible_body()
    {
        var input = Path.Combine(_directory, "in.csv");
        await File.WriteAllTextAsync(input, "id,stature\nshort,70\n");

        var (women, _, womenErrors) = await RunAsync("c2m", "pattern", input, "--sex", "female", "--garment", "jacket", "-o", _directory);
        var (men, _, menErrors) = await RunAsync("c2m", "pattern", input, "--sex", "male", "--garment", "jacket", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(ExitCodes.InvalidInput, women);
        Assert.Contains("no womenswear jacket block: --garment skirt or trousers", womenErrors, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, men);
        Assert.Contains("line 2 (id short): refused: stature 70", menErrors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public async Task Size_writes_each_body_s_base_size_and_alterations()
    {
        var input = Path.Combine(_directory, "in.csv");
        var output = Path.Combine(_directory, "sizes.csv");
        await File.WriteAllTextAsync(input, "id,stature,chestcircumference,waistcircumference\nw1,1640,920,834\n");

        var (code, _, errors) = await RunAsync("c2m", "size", input, "--sex", "female", "-o", output);

        Assert.True(code == ExitCodes.Ok, errors);
        var lines = await File.ReadAllLinesAsync(output);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        Assert.Equal("womenswear", row[Array.IndexOf(header, "chart")]);
        Assert.Equal("92-164", row[Array.IndexOf(header, "size")]);
        Assert.Equal("0", row[Array.IndexOf(header, "alteration_chestcircumference")]);
        Assert.Equal("0", row[Array.IndexOf(header, "alteration_stature")]);
        Assert.Equal("834", row[Array.IndexOf(header, "size_waistcircumference")]);
    }

    private static Task<(int Code, string Output, string Errors)> RunAsync(params string[] args) => RunAsync(args, null);

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args, (string Name, string Value)? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (environment is var (name, value))
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "millwright.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
