namespace Millwright.Simulator.Jobs;

/// <summary>
/// How a simulated embroidery machine sews a design it was sent: a piece takes its stitches at
/// <see cref="StitchesPerMinute"/>, plus <see cref="TrimSeconds"/> per trim and <see cref="ColourChangeSeconds"/>
/// per colour change; a colour beyond the machine's <see cref="Needles"/> waits <see cref="OperatorSeconds"/> for
/// the operator to thread it. A thread breaks with <see cref="BreaksPerStitch"/> per stitch and the machine stands
/// <see cref="RethreadSeconds"/> before it resumes where it stopped.
/// </summary>
internal sealed record EmbroideryPace
{
    public static readonly EmbroideryPace Default = new();

    public double StitchesPerMinute { get; init; } = 800;

    public double TrimSeconds { get; init; } = 3;

    public double ColourChangeSeconds { get; init; } = 6;

    public int Needles { get; init; } = 12;

    public double OperatorSeconds { get; init; } = 60;

    public double BreaksPerStitch { get; init; } = 1.0 / 40_000;

    public double RethreadSeconds { get; init; } = 30;
}
