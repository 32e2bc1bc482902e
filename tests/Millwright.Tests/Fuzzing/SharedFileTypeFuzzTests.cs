using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;
using Millwright.Features.Sharing;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// Files buyers attach to marketplace requests are untrusted bytes: mutated drawings, programs and DST designs may
/// only be given a content type or refused with a reason by the content check, for every kind, never throw.
/// </summary>
public sealed class SharedFileTypeFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF"u8.ToArray(),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16],
        "ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n"u8.ToArray(),
        "  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n"u8.ToArray(),
        "%\nO1001 (BRACKET)\nN10 G21 G90\nG0 X0 Y0\nM30\n%\n"u8.ToArray(),
        DstWriter.Write(new StitchPattern([StitchCommand.Stitch(10, 0), StitchCommand.Stitch(10, 20)], [ThreadColor.Parse("#000000")]), "fuzz"),
    ];

    [Fact]
    public void Mutated_files_are_only_typed_or_refused_with_a_reason()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261206, fields: []);
        for (var i = 0; i < 50_000; i++)
        {
            var (_, input) = engine.Next();
            foreach (var kind in FileSniffer.Kinds.Append("spreadsheet"))
            {
                var type = FileSniffer.Sniff(kind, input, out var reason);
                Assert.True(type is not null ? reason.Length == 0 : reason.Length > 0);
            }
        }
    }

    [Fact]
    public void The_seeds_are_typed_by_their_content_and_an_executable_is_refused_whatever_its_kind()
    {
        string?[] drawings = ["application/pdf", "image/png", "image/jpeg", "model/step", "image/vnd.dxf"];
        Assert.Equal(drawings, Seeds[..5].Select(s => FileSniffer.Sniff(FileSniffer.Drawing, s, out _)));
        Assert.Equal("text/x-gcode", FileSniffer.Sniff(FileSniffer.Program, Seeds[5], out _));
        Assert.Equal("application/x-dst", FileSniffer.Sniff(FileSniffer.Embroidery, Seeds[6], out _));
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00];
        Assert.All(FileSniffer.Kinds, k => Assert.Null(FileSniffer.Sniff(k, exe, out _)));
        Assert.Null(FileSniffer.Sniff(FileSniffer.Program, "Hello, this is not G-code\n"u8, out _));
    }
}
