using System.Globalization;
using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Design;

/// <summary>
/// A PNG or JPEG logo to a design: decoded by SkiaSharp, resampled to a grid of <see cref="LogoLimits.CellMm"/>
/// cells at the requested width, its colours reduced to <c>colors</c> threads (<see cref="ColourQuantizer"/>), one
/// pass of a 3×3 majority filter against JPEG speckle, and each colour traced to a filled outline
/// (<see cref="MaskTracer"/>). The background is not embroidered: transparent pixels, or in an opaque image the
/// colour most of the border has. Larger areas come first, so details lie on top.
/// </summary>
public static class LogoDesignReader
{
    public static EmbroideryDesign Read(byte[] image, float widthMm, int colors, LogoLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        limits ??= new LogoLimits();
        if (image.Length > limits.MaxBytes)
        {
            throw new DesignException(DesignProblem.TooComplex, $"the image is {image.Length:N0} bytes; the limit is {limits.MaxBytes:N0}");
        }

        if (colors < 1 || colors > limits.MaxColors)
        {
            throw new ArgumentOutOfRangeException(nameof(colors), $"a logo is embroidered in 1 to {limits.MaxColors} colours");
        }

        using var source = Decode(image, limits);
        var cell = Math.Max(limits.CellMm, widthMm / limits.MaxCells);
        var width = Math.Max(1, (int)Math.Round(widthMm / cell));
        var height = Math.Max(1, (int)Math.Round(width * (double)source.Height / source.Width));
        if (height > limits.MaxCells * 4)
        {
            throw new DesignException(DesignProblem.TooComplex, $"the logo is {source.Width} x {source.Height} pixels: too tall for its width");
        }

        using var grid = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new DesignException(DesignProblem.Malformed, "the image could not be resampled");
        var pixels = Pixels(grid);
        var background = Background(pixels, width, height);
        var centres = ColourQuantizer.Centres(pixels, background is null ? colors : colors + 1);
        var cells = Majority(ColourQuantizer.Assign(pixels, centres), width, height);
        var skip = background is { } b ? Nearest(centres, b) : -1;
        var shapes = new List<(DesignShape Shape, int Area)>();
        for (var c = 0; c < centres.Count; c++)
        {
            var area = cells.Count(x => x == c);
            if (c == skip || area == 0)
            {
                continue;
            }

            var outline = MaskTracer.Trace(cells, width, height, c, cell);
            if (!outline.IsEmpty)
            {
                shapes.Add((new DesignShape(string.Create(CultureInfo.InvariantCulture, $"colour {centres[c].Hex}"), outline, centres[c], null, 0), area));
            }
        }

        if (shapes.Count == 0)
        {
            throw new DesignException(DesignProblem.Empty, "the logo has nothing but background");
        }

        return new EmbroideryDesign(shapes.OrderByDescending(s => s.Area).Select(s => s.Shape).ToList(), []);
    }

    private static SKBitmap Decode(byte[] image, LogoLimits limits)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data)
            ?? throw new DesignException(DesignProblem.Malformed, "not an image SkiaSharp can read (send a PNG or JPEG)");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new DesignException(DesignProblem.Malformed, $"a {codec.EncodedFormat} image; send a PNG or JPEG");
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > limits.MaxPixels)
        {
            throw new DesignException(DesignProblem.TooComplex, $"the image is {info.Width} x {info.Height} pixels; the limit is {limits.MaxPixels:N0} pixels");
        }

        var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new DesignException(DesignProblem.Malformed, $"the image cannot be decoded ({result})");
        }

        return bitmap;
    }

    /// <summary>0xRRGGBB per pixel, -1 where it is mostly transparent.</summary>
    private static int[] Pixels(SKBitmap grid)
    {
        var result = new int[grid.Width * grid.Height];
        for (var y = 0; y < grid.Height; y++)
        {
            for (var x = 0; x < grid.Width; x++)
            {
                var p = grid.GetPixel(x, y);
                result[(y * grid.Width) + x] = p.Alpha < 128 ? -1 : (p.Red << 16) | (p.Green << 8) | p.Blue;
            }
        }

        return result;
    }

    /// <summary>In an opaque image, the average of the border's most common colour family; null when the border is transparent.</summary>
    private static ThreadColor? Background(int[] pixels, int width, int height)
    {
        var border = new List<int>();
        for (var x = 0; x < width; x++)
        {
            border.Add(pixels[x]);
            border.Add(pixels[((height - 1) * width) + x]);
        }

        for (var y = 0; y < height; y++)
        {
            border.Add(pixels[y * width]);
            border.Add(pixels[(y * width) + width - 1]);
        }

        if (border.Count(p => p < 0) * 2 >= border.Count)
        {
            return null;
        }

        // Colours binned coarsely (16 levels a channel), so JPEG noise on a plain background falls in one bin.
        var bin = border.Where(p => p >= 0).GroupBy(p => p & 0xF0F0F0).MaxBy(g => g.Count())!;
        return new ThreadColor((byte)bin.Average(p => (p >> 16) & 0xFF), (byte)bin.Average(p => (p >> 8) & 0xFF), (byte)bin.Average(p => p & 0xFF));
    }

    private static int Nearest(IReadOnlyList<ThreadColor> centres, ThreadColor colour) =>
        Enumerable.Range(0, centres.Count).MinBy(i =>
            Math.Pow(centres[i].R - colour.R, 2) + Math.Pow(centres[i].G - colour.G, 2) + Math.Pow(centres[i].B - colour.B, 2));

    /// <summary>Each cell takes the colour most of its 3×3 neighbourhood has, when that is at least five of nine.</summary>
    private static int[] Majority(int[] cells, int width, int height)
    {
        var result = (int[])cells.Clone();
        var counts = new Dictionary<int, int>();
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                counts.Clear();
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var c = cells[((y + dy) * width) + x + dx];
                        counts[c] = counts.GetValueOrDefault(c) + 1;
                    }
                }

                var (colour, n) = counts.MaxBy(kv => kv.Value);
                if (n >= 5)
                {
                    result[(y * width) + x] = colour;
                }
            }
        }

        return result;
    }
}
