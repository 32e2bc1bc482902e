using System.CommandLine;
using System.Globalization;
using Millwright.Embroidery;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Preview;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright embroidery digitize DESIGN.svg -o OUT.dst</c>: a design to a Tajima DST, with an optional PNG (or
/// SVG) preview, printing the stats. A design that cannot be stitched (malformed, over the limits, empty, larger
/// than the hoop) exits with <see cref="ExitCodes.InvalidInput"/> and the problem named on stderr.
/// </summary>
internal static class EmbroideryCommand
{
    public static Command Create()
    {
        var command = new Command("embroidery", "Embroidery: digitize a design into a machine stitch file");
        command.Subcommands.Add(Digitize());
        return command;
    }

    private static Command Digitize()
    {
        var design = new Argument<string>("DESIGN") { Description = "The design: an SVG file, or a PNG/JPEG logo (docs/embroidery.md lists what is supported)" };
        var output = new Option<string>("--output", "-o") { Description = "The stitch file to write: Tajima DST, or Melco EXP when it ends in .exp", Required = true };
        var preview = new Option<string?>("--preview") { Description = "Also write a preview of the stitches: .png or .svg" };
        var width = new Option<float?>("--width-mm") { Description = "Scale the design so what is stitched is this wide (mm)" };
        var colors = new Option<int?>("--colors") { Description = "Thread colours a PNG/JPEG logo is reduced to (1 to 12, default 4)" };
        var fabric = new Option<string>("--fabric") { Description = "woven, knit or cap: picks density, underlay and pull compensation", DefaultValueFactory = _ => "woven" };
        var hoop = new Option<string?>("--hoop") { Description = "The machine's hoop as WxH in mm, e.g. 100x100; a larger design is refused" };
        var command = new Command("digitize", "Digitize a design into a DST file and print stitch count, colour changes, trims, size and run time");
        command.Arguments.Add(design);
        foreach (var option in new Option[] { output, preview, width, colors, fabric, hoop })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, _) => Task.FromResult(Run(
            result.GetValue(design)!, result.GetValue(output)!, result.GetValue(preview), result.GetValue(width), result.GetValue(colors),
            result.GetValue(fabric)!, result.GetValue(hoop), Console.Out, Console.Error)));
        return command;
    }

    internal const float DefaultLogoWidthMm = 80;
    internal const int DefaultLogoColors = 4;

    internal static int Run(string path, string output, string? preview, float? widthMm, int? colors, string fabricName, string? hoopText, TextWriter stdout, TextWriter errors)
    {
        if (!Enum.TryParse<Fabric>(fabricName, ignoreCase: true, out var fabric) || !Enum.IsDefined(fabric))
        {
            errors.WriteLine("millwright: --fabric must be woven, knit or cap");
            return ExitCodes.Usage;
        }

        (double, double)? hoop = null;
        if (hoopText is not null)
        {
            if (ParseHoop(hoopText) is not { } h)
            {
                errors.WriteLine("millwright: --hoop must be WxH in millimetres, e.g. 100x100");
                return ExitCodes.Usage;
            }

            hoop = h;
        }

        if (widthMm is <= 0 or > 2000)
        {
            errors.WriteLine("millwright: --width-mm must be between 0 and 2000");
            return ExitCodes.Usage;
        }

        var logo = Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg";
        if (colors is not null && (!logo || colors is < 1 or > 12))
        {
            errors.WriteLine("millwright: --colors (1 to 12) applies to PNG/JPEG logos");
            return ExitCodes.Usage;
        }

        if (preview is not null && Path.GetExtension(preview).ToLowerInvariant() is not (".png" or ".svg"))
        {
            errors.WriteLine("millwright: --preview must end in .png or .svg");
            return ExitCodes.Usage;
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            var limit = logo ? new LogoLimits().MaxBytes : new SvgLimits().MaxBytes;
            if (info.Exists && info.Length > limit)
            {
                errors.WriteLine($"millwright: {path}: too complex: the file is {info.Length:N0} bytes; the limit is {limit:N0}");
                return ExitCodes.InvalidInput;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.WriteLine($"millwright: cannot read {path}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        Digitization result;
        try
        {
            // A logo has no size of its own: 80 mm wide unless told, in 4 colours unless told.
            result = logo ? Digitization.FromLogo(bytes, fabric, widthMm ?? DefaultLogoWidthMm, colors ?? DefaultLogoColors, hoop)
                : Digitization.FromSvg(bytes, fabric, widthMm, hoop);
        }
        catch (DesignException e)
        {
            errors.WriteLine($"millwright: {path}: {Describe(e.Problem)}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            File.WriteAllBytes(output, output.EndsWith(".exp", StringComparison.OrdinalIgnoreCase)
                ? Millwright.Embroidery.Exp.ExpWriter.Write(result.Pattern)
                : DstWriter.Write(result.Pattern, Path.GetFileNameWithoutExtension(path)));
            if (preview is not null)
            {
                if (preview.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                {
                    File.WriteAllText(preview, StitchPreview.Svg(result.Pattern, result.Stats));
                }
                else
                {
                    File.WriteAllBytes(preview, StitchPreview.Png(result.Pattern));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"millwright: cannot write: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        foreach (var feature in result.Design.Unsupported)
        {
            errors.WriteLine($"millwright: warning: not embroidered: {feature}");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stitches        {result.Stats.Stitches:N0}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"colour changes  {result.Stats.ColorChanges}  ({string.Join(' ', result.Pattern.Threads.Select(t => t.Hex))})"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trims           {result.Stats.Trims}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size            {result.Stats.WidthMm:F1} x {result.Stats.HeightMm:F1} mm"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run time        {result.Stats.RunTime:h\\:mm\\:ss} at {result.Stats.StitchesPerMinute} stitches/min"));
        stdout.WriteLine($"wrote           {output}{(preview is null ? "" : ", " + preview)}");
        return ExitCodes.Ok;
    }

    private static string Describe(DesignProblem problem) => problem switch
    {
        DesignProblem.Malformed => "malformed design",
        DesignProblem.TooComplex => "too complex",
        DesignProblem.Empty => "nothing to embroider",
        DesignProblem.TooLargeForHoop => "too large for the hoop",
        _ => "cannot embroider",
    };

    internal static (double Width, double Height)? ParseHoop(string text)
    {
        var parts = text.Split('x', 'X');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
            && w is > 0 and <= 2000 && h is > 0 and <= 2000
            ? (w, h)
            : null;
    }
}
