using Millwright.Embroidery.Exp;
using Millwright.Embroidery.Stitches;

namespace Millwright.Fuzzing;

/// <summary>
/// `exp`: the Melco EXP reader. Every mutated file must read or fail with <see cref="ExpFormatException"/> at an
/// offset inside the file; a file that reads must write back and read again to the same commands.
/// </summary>
internal sealed class ExpFuzzing : IFuzzTarget
{
    public string Name => "exp";

    public string Description => "Melco EXP stitch file reader";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "read");

    /// <summary>Files the writer made from small patterns: stitches, long jumps, trims, colour changes.</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        var zigzag = Enumerable.Range(0, 41).Select(i => StitchCommand.Stitch(i * 5, (i % 2) * 30)).ToList();
        var twoColours = new List<StitchCommand>(zigzag)
        {
            new(StitchKind.Trim, 200, 30), StitchCommand.Jump(-400, 350), new(StitchKind.ColorChange, -400, 350),
            StitchCommand.Stitch(-300, 250), StitchCommand.Stitch(-379, 371),
        };
        return
        [
            ExpWriter.Write(new StitchPattern(zigzag, StitchPattern.DefaultThreads(1))),
            ExpWriter.Write(new StitchPattern(twoColours, StitchPattern.DefaultThreads(2))),
        ];
    }

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, new MutationOptions
    {
        InterestingBytes = [0x00, 0x01, 0x02, 0x04, 0x07, 0x7F, 0x80, 0x81, 0xFF],
    });

    /// <summary>Reads; returns the pattern, or null when the reader refused it properly. Anything else escapes.</summary>
    public static StitchPattern? Check(byte[] input)
    {
        StitchPattern pattern;
        try
        {
            pattern = ExpReader.Read(input);
        }
        catch (ExpFormatException e) when (e.Offset >= 0 && e.Offset <= input.Length)
        {
            return null;
        }

        if (!ExpReader.Read(ExpWriter.Write(pattern)).Commands.SequenceEqual(pattern.Commands))
        {
            throw new InvalidOperationException("a file that read did not survive write and read again");
        }

        return pattern;
    }
}
