using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Millwright.Api;
using Millwright.Embroidery;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Preview;
using Millwright.Embroidery.Stitches;

namespace Millwright.Features.Embroidery;

/// <summary>
/// An upload to a checked stitch file, before anything is stored: the SVG is digitized (or a DST read) outside any
/// transaction, at most <see cref="EmbroideryOptions.ConcurrentDigitizing"/> at a time per node, and every refusal
/// is a problem naming what is wrong. Nothing of a refused design is kept, so nothing can be dispatched for it.
/// </summary>
internal sealed class DesignIntake(EmbroideryOptions options) : IDisposable
{
    public const string SvgType = "image/svg+xml";
    public const string DstType = "application/x-tajima-dst";
    public const string PngType = "image/png";
    public const string JpegType = "image/jpeg";

    /// <summary>A logo has no size of its own: this wide unless the upload says, in this many thread colours.</summary>
    public const float LogoWidthMm = 80;
    public const int LogoColors = 4;

    private readonly SemaphoreSlim _gate = new(options.ConcurrentDigitizing, options.ConcurrentDigitizing);

    /// <summary>The design to store: its row (without id), the stitch file and the source bytes.</summary>
    public sealed record Prepared(DesignRow Row, byte[] Dst, byte[] Source, string SourceType);

    public async Task<Prepared> PrepareAsync(byte[] body, string? contentType, string? name, string? fabricText, float? widthMm, string? hoopText, int? colors, CancellationToken ct)
    {
        var v = new Validator();
        var designName = v.Name("name", name);
        var fabric = Fabric.Woven;
        if (fabricText is not null && !Enum.TryParse(fabricText, ignoreCase: true, out fabric) || !Enum.IsDefined(fabric))
        {
            v.Add("fabric", "must be woven, knit or cap");
        }

        if (widthMm is <= 0 or > 2000 || (widthMm is { } w && !float.IsFinite(w)))
        {
            v.Add("widthMm", "must be more than 0 and at most 2000 (mm)");
        }

        var hoop = options.HoopFor(fabric);
        if (hoopText is not null)
        {
            if (ParseHoop(hoopText) is { } h)
            {
                hoop = h;
            }
            else
            {
                v.Add("hoop", "must be WxH in millimetres, e.g. 100x100, each at most 2000");
            }
        }

        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var logo = type is PngType or JpegType;
        if (type is not (SvgType or DstType) && !logo)
        {
            v.Add("contentType", $"must be {SvgType} (a design to digitize), {PngType} or {JpegType} (a logo to trace) or {DstType} (a stitch file made elsewhere)");
        }
        else if (colors is not null && (!logo || colors is < 1 or > 12))
        {
            v.Add("colors", "applies to PNG/JPEG logos: 1 to 12 thread colours");
        }

        if (body.Length == 0)
        {
            v.Add("body", "is empty: send the design's bytes as the request body");
        }

        v.ThrowIfInvalid();
        if (!await _gate.WaitAsync(options.DigitizingPatience, ct))
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Busy", "Other designs are being digitized; send this one again in a moment.");
        }

        try
        {
            return type == DstType ? FromDst(body, designName, fabric, hoop)
                : logo ? FromLogo(body, type, designName, fabric, widthMm ?? LogoWidthMm, colors ?? LogoColors, hoop)
                : FromSvg(body, designName, fabric, widthMm, hoop);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private Prepared FromSvg(byte[] svg, string name, Fabric fabric, float? widthMm, (double, double) hoop)
    {
        Digitization result;
        try
        {
            result = Digitization.FromSvg(svg, fabric, widthMm, hoop, new SvgLimits { MaxBytes = options.MaxUploadBytes });
        }
        catch (DesignException e)
        {
            throw Refused(e.Problem, e.Message);
        }

        CheckStitches(result.Stats.Stitches);
        var dst = DstWriter.Write(result.Pattern, Label(name));
        return new Prepared(Row(name, fabric, result.Pattern, result.Design.Unsupported, svg, dst), dst, svg, SvgType);
    }

    private Prepared FromLogo(byte[] image, string type, string name, Fabric fabric, float widthMm, int colors, (double, double) hoop)
    {
        Digitization result;
        try
        {
            result = Digitization.FromLogo(image, fabric, widthMm, colors, hoop, new LogoLimits { MaxBytes = options.MaxUploadBytes });
        }
        catch (DesignException e)
        {
            throw Refused(e.Problem, e.Message);
        }

        CheckStitches(result.Stats.Stitches);
        var dst = DstWriter.Write(result.Pattern, Label(name));
        return new Prepared(Row(name, fabric, result.Pattern, [], image, dst), dst, image, type);
    }

    /// <summary>A DST made elsewhere: read and checked (a bad one is refused with the byte offset), then treated like a digitized one.</summary>
    private Prepared FromDst(byte[] dst, string name, Fabric fabric, (double Width, double Height) hoop)
    {
        DstFile file;
        try
        {
            file = DstReader.Read(dst);
        }
        catch (DstFormatException e)
        {
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, "Not a valid DST file", e.Message)
            {
                Extensions = new Dictionary<string, object?> { ["problem"] = "malformed", ["offset"] = e.Offset },
            };
        }

        var stats = PatternStats.Of(file.Pattern, options.StitchesPerMinute);
        if (stats.Stitches == 0)
        {
            throw Refused(DesignProblem.Empty, "the stitch file has no stitches");
        }

        CheckStitches(stats.Stitches);
        if (stats.WidthMm > hoop.Width || stats.HeightMm > hoop.Height)
        {
            throw Refused(DesignProblem.TooLargeForHoop, string.Create(CultureInfo.InvariantCulture,
                $"the design is {stats.WidthMm:F1} x {stats.HeightMm:F1} mm; the hoop holds {hoop.Width:0.#} x {hoop.Height:0.#} mm"));
        }

        return new Prepared(Row(name, fabric, file.Pattern, [], dst, dst), dst, dst, DstType);
    }

    private void CheckStitches(int stitches)
    {
        if (stitches > options.MaxStitches)
        {
            throw Refused(DesignProblem.TooComplex, $"the design needs {stitches:N0} stitches; the limit is {options.MaxStitches:N0}");
        }
    }

    private DesignRow Row(string name, Fabric fabric, StitchPattern pattern, IReadOnlyList<string> unsupported, byte[] source, byte[] dst)
    {
        // At the service's speed: the run time is what the plan and the customer are told.
        var stats = PatternStats.Of(pattern, options.StitchesPerMinute);
        return new DesignRow
        {
            Name = name,
            Fabric = fabric.ToString().ToLowerInvariant(),
            SourceSha256 = Sha(source),
            DstSha256 = Sha(dst),
            DstBytes = dst.Length,
            WidthMm = Math.Round(stats.WidthMm, 1),
            HeightMm = Math.Round(stats.HeightMm, 1),
            Stitches = stats.Stitches,
            ColourChanges = stats.ColorChanges,
            Trims = stats.Trims,
            Jumps = stats.Jumps,
            Threads = JsonSerializer.Serialize(pattern.Threads.Select(t => t.Hex).ToList()),
            RunSeconds = (long)stats.RunTime.TotalSeconds,
            Warnings = unsupported.Count == 0 ? null : JsonSerializer.Serialize(unsupported.Select(u => $"not embroidered: {u}").ToList()),
        };
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The DST header's label: 16 printable ASCII characters at most.</summary>
    private static string Label(string name)
    {
        var ascii = new StringBuilder();
        foreach (var c in name)
        {
            if (ascii.Length == 16)
            {
                break;
            }

            ascii.Append(c is >= ' ' and <= '~' ? c : '_');
        }

        return ascii.ToString();
    }

    private static ApiProblem Refused(DesignProblem problem, string detail)
    {
        var (word, title) = problem switch
        {
            DesignProblem.Malformed => ("malformed", "Malformed design"),
            DesignProblem.TooComplex => ("too-complex", "Design too complex"),
            DesignProblem.Empty => ("empty", "Nothing to embroider"),
            _ => ("too-large-for-hoop", "Design larger than the hoop"),
        };
        return new ApiProblem(StatusCodes.Status422UnprocessableEntity, title, detail) { Extensions = new Dictionary<string, object?> { ["problem"] = word } };
    }

    private static (double Width, double Height)? ParseHoop(string text)
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
