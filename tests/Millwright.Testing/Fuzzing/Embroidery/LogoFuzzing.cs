using Millwright.Embroidery.Design;
using SkiaSharp;

namespace Millwright.Fuzzing;

/// <summary>
/// `logo`: PNG and JPEG logos customers upload, through SkiaSharp's decoder, the colour quantizer and the tracer.
/// Every mutated image must become a design or fail with <see cref="DesignException"/>; anything else escapes.
/// </summary>
internal sealed class LogoFuzzing : IFuzzTarget
{
    public string Name => "logo";

    public string Description => "PNG/JPEG logo decoder, quantizer and tracer (uploaded embroidery logos)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), Check, "read");

    public static IReadOnlyList<byte[]> Seeds() => [Draw(SKEncodedImageFormat.Png, 48), Draw(SKEncodedImageFormat.Jpeg, 48), Draw(SKEncodedImageFormat.Png, 17)];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, new MutationOptions
    {
        InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xD8, 0xD9, 0xDA, 0xC0, 0x49, 0x44, 0x41, 0x54],
        MaxLength = 64 * 1024,
    });

    /// <summary>Reads; true when a design came out, false when refused properly. Anything else escapes.</summary>
    public static bool Check(byte[] input)
    {
        try
        {
            var design = LogoDesignReader.Read(input, 20, 3);
            return design.Shapes.Count > 0 ? true : throw new InvalidOperationException("a logo that was read has no shapes");
        }
        catch (DesignException e) when (!string.IsNullOrWhiteSpace(e.Message))
        {
            return false;
        }
    }

    private static byte[] Draw(SKEncodedImageFormat format, int size)
    {
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { IsAntialias = true, Color = SKColors.DarkRed };
        surface.Canvas.DrawCircle(size / 2f, size / 2f, size / 3f, paint);
        paint.Color = SKColors.Navy;
        surface.Canvas.DrawRect(size / 3f, size / 3f, size / 4f, size / 4f, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(format, 80);
        return data.ToArray();
    }
}
