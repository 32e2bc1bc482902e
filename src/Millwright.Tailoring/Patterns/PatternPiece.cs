using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;

namespace Millwright.Tailoring.Patterns;

/// <summary>
/// One pattern piece in its own drafting frame (mm, x right, y down as on pattern paper). <see cref="Net"/> is the
/// sewing line, <see cref="Cut"/> the cutting line (the net outline grown by the seam allowance with mitred corners);
/// <see cref="Anchors"/> index named points of the net outline's shell. <see cref="Quantity"/> copies are cut; a
/// <see cref="MirroredPair"/> is cut as a left and a right (one copy flipped).
/// </summary>
public sealed class PatternPiece
{
    internal PatternPiece(string name, int quantity, bool mirroredPair, Polygon net, IReadOnlyDictionary<string, int> anchors, double seamAllowance, LineString grainLine, IReadOnlyList<LineString> internalLines, IReadOnlyList<string> notchAnchors)
    {
        Name = name;
        Quantity = quantity;
        MirroredPair = mirroredPair;
        Net = net;
        Anchors = anchors;
        SeamAllowance = seamAllowance;
        GrainLine = grainLine;
        InternalLines = internalLines;
        var parameters = new BufferParameters { JoinStyle = JoinStyle.Mitre, MitreLimit = 4, QuadrantSegments = 8, SimplifyFactor = 1e-4 };
        Cut = BufferOp.Buffer(net, seamAllowance, parameters) as Polygon
            ?? throw new InvalidOperationException($"{name}: the seam allowance did not give one outline");
        Notches = notchAnchors.Select(NotchAt).ToArray();
    }

    public string Name { get; }

    public int Quantity { get; }

    public bool MirroredPair { get; }

    public Polygon Net { get; }

    public Polygon Cut { get; }

    public double SeamAllowance { get; }

    public IReadOnlyDictionary<string, int> Anchors { get; }

    public LineString GrainLine { get; }

    public IReadOnlyList<LineString> InternalLines { get; }

    public IReadOnlyList<Notch> Notches { get; }

    public Coordinate Point(string anchor) => Net.Shell.Coordinates[Anchors.TryGetValue(anchor, out var i) ? i : throw new ArgumentException($"{Name} has no point {anchor}", nameof(anchor))];

    /// <summary>The length of the net outline from one anchor to another, following the shell's point order.</summary>
    public double PathLength(string from, string to)
    {
        var ring = Net.Shell.Coordinates;
        var n = ring.Length - 1;
        var i = Anchors[from];
        var end = Anchors[to];
        var length = 0.0;
        while (i != end)
        {
            var next = (i + 1) % n;
            length += ring[i].Distance(ring[next]);
            i = next;
        }

        return length;
    }

    private Notch NotchAt(string anchor)
    {
        var ring = Net.Shell.Coordinates;
        var n = ring.Length - 1;
        var i = Anchors[anchor];
        var before = ring[(i + n - 1) % n];
        var after = ring[(i + 1) % n];
        var (tx, ty) = (after.X - before.X, after.Y - before.Y);
        var norm = Math.Sqrt((tx * tx) + (ty * ty));
        var (nx, ny) = (-ty / norm, tx / norm);
        var at = ring[i];
        var probe = Geometry.DefaultFactory.CreatePoint(new Coordinate(at.X + nx, at.Y + ny));
        return Net.Contains(probe) ? new Notch(anchor, at.Copy(), nx, ny) : new Notch(anchor, at.Copy(), -nx, -ny);
    }
}
