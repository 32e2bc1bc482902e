using Millwright.Embroidery.Geometry;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Digitizing;

/// <summary>Writes blocks as machine commands: travel, trims, locks, stitch length limits, units and axes.</summary>
internal sealed class Emitter(Vec origin, DigitizeOptions options)
{
    private readonly List<StitchCommand> _commands = [];
    private readonly Vec _origin = origin;
    private Vec _at = origin;
    private (int X, int Y) _machine;
    private bool _threaded;
    private Vec _lastDirection = new(1, 0);

    public List<StitchCommand> Commands => _commands;

    public Vec Position => _at;

    public void Block(IReadOnlyList<Vec> points, bool sameShape)
    {
        if (points.Count == 0)
        {
            return;
        }

        var start = points[0];
        var travel = Vec.Distance(_at, start);
        if (_threaded && sameShape && travel <= options.TrimAbove)
        {
            StitchTo(start);
        }
        else
        {
            if (_threaded && travel > options.TrimAbove)
            {
                TieOff();
                Trim();
            }

            Jump(start);
            if (!_threaded)
            {
                var next = points.Skip(1).FirstOrDefault(p => Vec.Distance(p, start) >= options.MinStitchLength, start + new Vec(1, 0));
                TieIn(start, (next - start).Unit);
            }
        }

        foreach (var p in points.Skip(1))
        {
            StitchTo(p);
        }
    }

    public void ChangeColour()
    {
        if (_threaded)
        {
            TieOff();
            Trim();
        }

        _commands.Add(new StitchCommand(StitchKind.ColorChange, _machine.X, _machine.Y));
    }

    public void Finish()
    {
        if (_threaded)
        {
            TieOff();
            Trim();
        }
    }

    private void StitchTo(Vec p)
    {
        var d = Vec.Distance(_at, p);
        if (d < options.MinStitchLength)
        {
            return;
        }

        var parts = (int)Math.Ceiling(d / options.MaxStitchLength);
        var from = _at;
        for (var k = 1; k <= parts; k++)
        {
            Penetrate(Vec.Lerp(from, p, (double)k / parts));
        }

        _lastDirection = (p - from).Unit;
    }

    private void TieIn(Vec p, Vec direction)
    {
        var q = p + direction * options.LockLength;
        Penetrate(p);
        Penetrate(q);
        Penetrate(p);
        Penetrate(q);
        Penetrate(p);
        _threaded = true;
    }

    private void TieOff()
    {
        var p = _at;
        var q = p - _lastDirection * options.LockLength;
        Penetrate(q);
        Penetrate(p);
        Penetrate(q);
        Penetrate(p);
    }

    private void Trim()
    {
        _commands.Add(new StitchCommand(StitchKind.Trim, _machine.X, _machine.Y));
        _threaded = false;
    }

    private void Jump(Vec p)
    {
        var m = Machine(p);
        if (m != _machine)
        {
            _commands.Add(StitchCommand.Jump(m.X, m.Y));
            _machine = m;
        }

        _at = p;
    }

    private void Penetrate(Vec p)
    {
        _machine = Machine(p);
        _commands.Add(StitchCommand.Stitch(_machine.X, _machine.Y));
        _at = p;
    }

    // Tenths of a millimetre from the design's centre, Y up.
    private (int X, int Y) Machine(Vec p) =>
        ((int)Math.Round((p.X - _origin.X) * 10), (int)Math.Round(-(p.Y - _origin.Y) * 10));
}
