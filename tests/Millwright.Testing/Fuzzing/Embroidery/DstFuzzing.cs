using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;

namespace Millwright.Fuzzing;

/// <summary>
/// `dst`: the Tajima DST reader (uploaded stitch files). Every mutated file must read or fail with
/// <see cref="DstFormatException"/> at an offset inside the file (or at its end, when bytes are missing); a file
/// that reads must write back and read again to the same commands.
/// </summary>
internal sealed class DstFuzzing : IFuzzTarget
{
    public string Name => "dst";

    public string Description => "Tajima DST stitch file reader (uploaded designs)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "read");

    /// <summary>Files the writer made from small patterns: stitches, long jumps, trims, colour changes.</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        var square = new List<StitchCommand>();
        for (var i = 0; i <= 40; i++)
        {
            square.Add(StitchCommand.Stitch(i * 5, (i % 2) * 30));
        }

        var twoColours = new List<StitchCommand>(square)
        {
            new(StitchKind.Trim, 200, 30),
            StitchCommand.Jump(-400, 350),
            new(StitchKind.ColorChange, -400, 350),
            StitchCommand.Stitch(-300, 250),
            StitchCommand.Stitch(-379, 371),
        };
        return
        [
            DstWriter.Write(new StitchPattern(square, StitchPattern.DefaultThreads(1)), "zigzag"),
            DstWriter.Write(new StitchPattern(twoColours, StitchPattern.DefaultThreads(2)), "two colours"),
            DstWriter.Write(new StitchPattern([], StitchPattern.DefaultThreads(1)), "empty"),
        ];
    }

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, new MutationOptions
    {
        InterestingBytes = [0x00, 0x03, 0x83, 0xC3, 0xF3, 0x43, 0xFF, 0x1A, 0x0D, (byte)'+', (byte)'-', (byte)'9'],
        Structural = [RandomRecord, CutAtRecord],
    });

    /// <summary>Reads; returns the file, or null when the reader refused it properly. Anything else escapes.</summary>
    public static DstFile? Check(byte[] input)
    {
        DstFile file;
        try
        {
            file = DstReader.Read(input);
        }
        catch (DstFormatException e) when (e.Offset >= 0 && e.Offset <= input.Length)
        {
            return null;
        }

        var again = DstReader.Read(DstWriter.Write(file.Pattern, file.Header.Label));
        if (!again.Pattern.Commands.SequenceEqual(file.Pattern.Commands))
        {
            throw new InvalidOperationException("a file that read did not survive write and read again");
        }

        return file;
    }

    // A record past the header replaced by any bytes whose control bits are set, so the decoder's choices are reached.
    private static byte[] RandomRecord(Random random, byte[] data)
    {
        var records = (data.Length - DstHeader.Length) / 3;
        if (records <= 0)
        {
            return data;
        }

        var copy = (byte[])data.Clone();
        var at = DstHeader.Length + random.Next(records) * 3;
        copy[at] = (byte)random.Next(256);
        copy[at + 1] = (byte)random.Next(256);
        copy[at + 2] = (byte)(random.Next(256) | 0x03);
        return copy;
    }

    private static byte[] CutAtRecord(Random random, byte[] data)
    {
        var records = (data.Length - DstHeader.Length) / 3;
        return records <= 0 ? data : data[..(DstHeader.Length + random.Next(records) * 3)];
    }
}
