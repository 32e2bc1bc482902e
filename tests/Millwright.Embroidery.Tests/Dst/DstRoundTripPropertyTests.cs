using CsCheck;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Dst;

public sealed class DstRoundTripPropertyTests
{
    // (kind 0..3, dx, dy): stitches move at most one record, jumps anywhere within a metre.
    private static readonly Gen<(int Kind, int Dx, int Dy)[]> Steps =
        Gen.Select(Gen.Int[0, 9], Gen.Int[-121, 121], Gen.Int[-121, 121], Gen.Int[-5000, 5000], Gen.Int[-5000, 5000])
            .Select((k, sx, sy, jx, jy) => k switch
            {
                < 6 => (0, sx, sy),
                < 8 => (1, jx, jy),
                8 => (2, 0, 0),
                _ => (3, 0, 0),
            })
            .Array[0, 300];

    [Fact]
    public void Any_canonical_pattern_reads_back_exactly_as_written()
    {
        Steps.Sample(steps =>
        {
            var pattern = Canonical(steps);
            var read = DstReader.Read(DstWriter.Write(pattern, "property"));
            Assert.Equal(pattern.Commands, read.Pattern.Commands);
            Assert.Equal(pattern.ColorChanges, read.Header.ColorChanges);
        }, iter: 300);
    }

    /// <summary>What the digitizer emits: no jump after a jump, no jump that stays put, no trim after a trim.</summary>
    private static StitchPattern Canonical((int Kind, int Dx, int Dy)[] steps)
    {
        var commands = new List<StitchCommand>();
        int x = 0, y = 0;
        foreach (var (kind, dx, dy) in steps)
        {
            var last = commands.Count > 0 ? commands[^1].Kind : (StitchKind?)null;
            switch (kind)
            {
                case 0:
                    (x, y) = (x + dx, y + dy);
                    commands.Add(StitchCommand.Stitch(x, y));
                    break;
                case 1 when last != StitchKind.Jump && (dx, dy) != (0, 0):
                    (x, y) = (x + dx, y + dy);
                    commands.Add(StitchCommand.Jump(x, y));
                    break;
                case 2 when last != StitchKind.Trim:
                    commands.Add(new StitchCommand(StitchKind.Trim, x, y));
                    break;
                case 3:
                    commands.Add(new StitchCommand(StitchKind.ColorChange, x, y));
                    break;
            }
        }

        var changes = commands.Count(c => c.Kind == StitchKind.ColorChange);
        return new StitchPattern(commands, StitchPattern.DefaultThreads(changes + 1));
    }
}
