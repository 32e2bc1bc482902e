using System.Text;

namespace Millwright.Features.Makerspace;

/// <summary>
/// The attachment types an idea accepts, each checked against the bytes' own signature rather than trusted
/// from the Content-Type header: a declared image that is not one is refused, so that what is served back
/// under that type is what it claims to be.
/// </summary>
internal static class AttachmentTypes
{
    public static readonly string[] Allowed = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"];

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Null when <paramref name="bytes"/> are a <paramref name="contentType"/>, else why not.</summary>
    public static string? Check(string contentType, ReadOnlySpan<byte> bytes) => contentType switch
    {
        "image/png" => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? null : "is not a PNG image (no PNG signature)",
        "image/jpeg" => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? null : "is not a JPEG image (no SOI marker)",
        "image/gif" => bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? null : "is not a GIF image",
        "image/webp" => bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? null : "is not a WebP image",
        "application/pdf" => bytes.StartsWith("%PDF-"u8) ? null : "is not a PDF document",
        "text/plain" => IsText(bytes) ? null : "is not UTF-8 text",
        _ => $"type '{contentType}' is not accepted; send one of {string.Join(", ", Allowed)}",
    };

    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            return false;
        }

        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
