namespace Millwright.Embroidery.Stitches;

/// <summary>
/// A machine-ready pattern: its commands in order, starting at the origin, and the thread plan (one colour for
/// the first block and one more for each colour change). A DST file carries no colours, so a pattern read from one
/// gets a default plan.
/// </summary>
public sealed class StitchPattern
{
    public StitchPattern(IReadOnlyList<StitchCommand> commands, IReadOnlyList<ThreadColor> threads)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(threads);
        Commands = commands;
        var changes = commands.Count(c => c.Kind == StitchKind.ColorChange);
        if (threads.Count != changes + 1)
        {
            throw new ArgumentException($"a pattern with {changes} colour changes needs {changes + 1} threads, not {threads.Count}", nameof(threads));
        }

        Threads = threads;
    }

    public IReadOnlyList<StitchCommand> Commands { get; }

    public IReadOnlyList<ThreadColor> Threads { get; }

    public int StitchCount => Commands.Count(c => c.Kind == StitchKind.Stitch);

    public int ColorChanges => Threads.Count - 1;

    public int Trims => Commands.Count(c => c.Kind == StitchKind.Trim);

    public int Jumps => Commands.Count(c => c.Kind == StitchKind.Jump);

    /// <summary>The box of every position the frame visits, the origin included, in tenths of a millimetre.</summary>
    public (int MinX, int MinY, int MaxX, int MaxY) Extents()
    {
        int minX = 0, minY = 0, maxX = 0, maxY = 0;
        foreach (var c in Commands)
        {
            minX = Math.Min(minX, c.X);
            minY = Math.Min(minY, c.Y);
            maxX = Math.Max(maxX, c.X);
            maxY = Math.Max(maxY, c.Y);
        }

        return (minX, minY, maxX, maxY);
    }

    /// <summary>A plan of distinct, easily told apart colours for a pattern that came without one.</summary>
    public static IReadOnlyList<ThreadColor> DefaultThreads(int count)
    {
        ThreadColor[] palette =
        [
            new(0x1f, 0x3a, 0x93), new(0xc6, 0x28, 0x28), new(0x2e, 0x7d, 0x32), new(0xf9, 0xa8, 0x25),
            new(0x6a, 0x1b, 0x9a), new(0x00, 0x83, 0x8f), new(0x4e, 0x34, 0x2e), new(0x21, 0x21, 0x21),
        ];
        return Enumerable.Range(0, count).Select(i => palette[i % palette.Length]).ToArray();
    }
}
