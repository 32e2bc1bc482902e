using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;
using Millwright.Sharing;

namespace Millwright.Fuzzing;

/// <summary>
/// `shared-file`: files buyers attach to marketplace requests (untrusted bytes of any kind). For every kind, the
/// content check must give a content type with no reason, or refuse with a reason; anything it throws is a finding.
/// </summary>
internal sealed class SharedFileFuzzing : IFuzzTarget
{
    public string Name => "shared-file";

    public string Description => "type check of files attached to marketplace requests (PDF, PNG, JPEG, STEP, DXF, G-code, DST)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), Check, "typed");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF"u8.ToArray(),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16],
        "ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n"u8.ToArray(),
        "  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n"u8.ToArray(),
        "%\nO1001 (BRACKET)\nN10 G21 G90\nG0 X0 Y0\nM30\n%\n"u8.ToArray(),
        DstWriter.Write(new StitchPattern([StitchCommand.Stitch(10, 0), StitchCommand.Stitch(10, 20)], [ThreadColor.Parse("#000000")]), "fuzz"),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>True when some kind types the bytes, false when every kind refuses them with a reason; a broken answer throws.</summary>
    public static bool Check(byte[] input)
    {
        var typed = false;
        foreach (var kind in FileSniffer.Kinds.Append("spreadsheet"))
        {
            var type = FileSniffer.Sniff(kind, input, out var reason);
            if ((type is null) == (reason.Length == 0))
            {
                throw new InvalidOperationException($"kind {kind}: type '{type}' with reason '{reason}'");
            }

            typed |= type is not null;
        }

        return typed;
    }
}
