using SkiaSharp;

namespace Millwright.Tests.Embroidery;

/// <summary>Logos drawn for the tests: what a customer's PNG or JPEG looks like, made here rather than checked in.</summary>
internal static class TestLogos
{
    /// <summary>A red disc with a blue square inside on a white background, 200 x 200 pixels.</summary>
    public static byte[] TwoColourPng() => Draw(SKEncodedImageFormat.Png);

    public static byte[] TwoColourJpeg() => Draw(SKEncodedImageFormat.Jpeg);

    private static byte[] Draw(SKEncodedImageFormat format)
    {
        using var surface = SKSurface.Create(new SKImageInfo(200, 200));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(0xc6, 0x28, 0x28) };
        canvas.DrawCircle(100, 100, 90, paint);
        paint.Color = new SKColor(0x1f, 0x3a, 0x93);
        canvas.DrawRect(60, 60, 80, 80, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
