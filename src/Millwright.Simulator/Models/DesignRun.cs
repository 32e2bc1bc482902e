using Millwright.Embroidery.Stitches;
using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// A design being sewn, command by command: a stitch takes 60 / stitches-per-minute seconds, a trim and a colour
/// change their pace's seconds (a colour beyond the needles waits for the operator), a jump only moves the frame.
/// A broken thread stops the machine for the rethread and it resumes at the same stitch. <see cref="Sew"/> stops at
/// the end of a piece and keeps the time left over (<see cref="HasTime"/>), so the machine can stop after its last
/// piece and long runs keep the pace exactly.
/// </summary>
internal sealed class DesignRun(StitchPattern pattern, EmbroideryPace pace)
{
    private readonly IReadOnlyList<StitchCommand> _commands = pattern.Commands;
    private readonly double _stitchSeconds = 60 / pace.StitchesPerMinute;
    private int _next;
    private double _waiting;
    private double _time;

    /// <summary>Stitches sewn of the current piece.</summary>
    public long PieceStitches { get; private set; }

    /// <summary>The needle (thread of the plan) in use, from 1.</summary>
    public int Needle { get; private set; } = 1;

    /// <summary>The needle's position in the design, in 0.1 mm (the DST unit).</summary>
    public int X { get; private set; }

    public int Y { get; private set; }

    public int ThreadCount => pattern.Threads.Count;

    /// <summary>Time given and not yet sewn (after a piece ended within the slice).</summary>
    public bool HasTime => _time > 0 && _commands.Count > 0;

    /// <summary>What one slice of running did.</summary>
    public readonly record struct Step(long Stitches, long Breaks, long ColourChanges, int Pieces);

    public Step Sew(double seconds, Random random)
    {
        _time += seconds;
        long stitches = 0, breaks = 0, changes = 0;
        while (_time > 0 && _commands.Count > 0)
        {
            if (_waiting > 0)
            {
                var waited = Math.Min(_waiting, _time);
                _waiting -= waited;
                _time -= waited;
                continue;
            }

            if (_next >= _commands.Count)
            {
                (_next, PieceStitches, Needle) = (0, 0, 1);
                return new Step(stitches, breaks, changes, 1);
            }

            var c = _commands[_next++];
            (X, Y) = (c.X, c.Y);
            switch (c.Kind)
            {
                case StitchKind.Stitch:
                    stitches++;
                    PieceStitches++;
                    _time -= _stitchSeconds;
                    if (random.NextDouble() < pace.BreaksPerStitch)
                    {
                        breaks++;
                        _waiting = pace.RethreadSeconds;
                    }

                    break;
                case StitchKind.Trim:
                    _waiting = pace.TrimSeconds;
                    break;
                case StitchKind.ColorChange:
                    changes++;
                    Needle++;
                    _waiting = Needle > pace.Needles ? pace.OperatorSeconds : pace.ColourChangeSeconds;
                    break;
            }
        }

        return new Step(stitches, breaks, changes, 0);
    }
}
