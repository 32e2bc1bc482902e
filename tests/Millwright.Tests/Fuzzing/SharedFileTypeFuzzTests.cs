using Millwright.Fuzzing;
using Millwright.Sharing;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// Files buyers attach to marketplace requests are untrusted bytes: mutated drawings, programs and DST designs may
/// only be given a content type or refused with a reason by the content check, for every kind, never throw
/// (<c>millwright-fuzz shared-file</c> runs the same target long).
/// </summary>
public sealed class SharedFileTypeFuzzTests
{
    [Fact]
    public void Mutated_files_are_only_typed_or_refused_with_a_reason()
    {
        var engine = SharedFileFuzzing.Engine(20261206);
        var typed = 0;
        for (var i = 0; i < 50_000; i++)
        {
            if (SharedFileFuzzing.Check(engine.Next().Input))
            {
                typed++;
            }
        }

        // Both outcomes are exercised: many mutants keep a valid head, many lose it.
        Assert.InRange(typed, 1_000, 49_000);
    }

    [Fact]
    public void The_seeds_are_typed_by_their_content_and_an_executable_is_refused_whatever_its_kind()
    {
        var seeds = SharedFileFuzzing.Seeds();
        string?[] drawings = ["application/pdf", "image/png", "image/jpeg", "model/step", "image/vnd.dxf"];
        Assert.Equal(drawings, seeds.Take(5).Select(s => FileSniffer.Sniff(FileSniffer.Drawing, s, out _)));
        Assert.Equal("text/x-gcode", FileSniffer.Sniff(FileSniffer.Program, seeds[5], out _));
        Assert.Equal("application/x-dst", FileSniffer.Sniff(FileSniffer.Embroidery, seeds[6], out _));
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00];
        Assert.All(FileSniffer.Kinds, k => Assert.Null(FileSniffer.Sniff(k, exe, out _)));
        Assert.False(SharedFileFuzzing.Check(exe));
        Assert.Null(FileSniffer.Sniff(FileSniffer.Program, "Hello, this is not G-code\n"u8, out _));
    }
}
