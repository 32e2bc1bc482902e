using Millwright.Embroidery.Stitches;
using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// A design being sewn, command by command: a stitch takes 60 / stitches-per-minute seconds, a trim and a colour
/// change their pace's seconds, a jump only moves the frame. With the platform's <see cref="NeedleSchedule"/> each
/// colour block takes the needle it names, and a block whose needle the operator must thread first waits the
/// pace's operator seconds (before the first stitch too); without one the colours take needles 1, 2, … in order
/// and a colour beyond the machine's needles waits for the operator.
/// A broken thread stops the machine for the rethread and it resumes at the same stitch. <see cref="Sew"/> stops at
/// the end of a piece and keeps the time left over (<see cref="HasTime"/>), so the machine can stop after its last
/// piece and long runs keep the pace exactly.
/// </summary>
internal sealed class DesignRun
{
    private readonly IReadOnlyList<StitchCommand> _commands;
    private readonly EmbroideryPace _pace;
    private readonly NeedleSchedule? _needles;
    private readonly double _stitchSeconds;
    private int _next;
    private int _block;
    private long _pieces;
    private double _waiting;
    private double _time;

    public DesignRun(StitchPattern pattern, EmbroideryPace pace, NeedleSchedule? needles = null)
    {
        _commands = pattern.Commands;
        ThreadCount = pattern.Threads.Count;
        _pace = pace;
        _needles = needles;
        _stitchSeconds = 60 / pace.StitchesPerMinute;
        StartPiece();
    }

    /// <summary>Stitches sewn of the current piece.</summary>
    public long PieceStitches { get; private set; }

    /// <summary>The needle (thread of the plan) in use, from 1.</summary>
    public int Needle { get; private set; } = 1;

    /// <summary>The needle's position in the design, in 0.1 mm (the DST unit).</summary>
    public int X { get; private set; }

    public int Y { get; private set; }

    public int ThreadCount { get; }

    /// <summary>How often the machine has stopped for the operator to thread a needle.</summary>
    public long OperatorWaits { get; private set; }

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
                (_next, PieceStitches) = (0, 0);
                _pieces++;
                StartPiece();
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
                    if (random.NextDouble() < _pace.BreaksPerStitch)
                    {
                        breaks++;
                        _waiting = _pace.RethreadSeconds;
                    }

                    break;
                case StitchKind.Trim:
                    _waiting = _pace.TrimSeconds;
                    break;
                case StitchKind.ColorChange:
                    changes++;
                    _block++;
                    _waiting = _pace.ColourChangeSeconds + TakeNeedle();
                    break;
            }
        }

        return new Step(stitches, breaks, changes, 0);
    }

    /// <summary>A piece begins on its first block's needle (threaded by the operator first when the schedule says so).</summary>
    private void StartPiece()
    {
        _block = 0;
        _waiting += TakeNeedle();
    }

    /// <summary>Moves to the current block's needle; the operator's seconds when it must be threaded first.</summary>
    private double TakeNeedle()
    {
        bool rethread;
        if (_needles?.Of(_pieces) is { Count: > 0 } steps)
        {
            var step = steps[Math.Min(_block, steps.Count - 1)];
            (Needle, rethread) = (step.Needle, step.Rethread);
        }
        else
        {
            Needle = _block + 1;
            rethread = Needle > _pace.Needles;
        }

        if (!rethread)
        {
            return 0;
        }

        OperatorWaits++;
        return _pace.OperatorSeconds;
    }
}
