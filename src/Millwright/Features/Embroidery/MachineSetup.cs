using Millwright.Embroidery.Stitches;

namespace Millwright.Features.Embroidery;

/// <summary>
/// An embroidery machine's set-up (docs/embroidery.md, "Machines"): its sewing speed, what a trim, a colour change
/// and the operator threading a needle cost it, and the thread on each needle (<c>#rrggbb</c>, null for none).
/// <see cref="Heads"/>: pieces sewn at once, one per head. <see cref="Recorded"/> is false for a machine nobody has set up: the platform then assumes its defaults.
/// </summary>
internal sealed record MachineSetup(
    long MachineId,
    bool Recorded,
    int StitchesPerMinute,
    double TrimSeconds,
    double ColourChangeSeconds,
    double RethreadSeconds,
    IReadOnlyList<string?> Needles,
    DateTimeOffset? UpdatedAt,
    int Heads = 1)
{
    public IReadOnlyList<ThreadColor?> NeedleColours => [.. Needles.Select(n => n is null ? (ThreadColor?)null : ThreadColor.Parse(n))];

    /// <summary>
    /// What is assumed of a machine not set up: the platform's speed and stop times, and the design's own colours
    /// threaded on its first needles in sewing order (as many as <see cref="EmbroideryOptions.AssumedNeedles"/>; a
    /// design with more colours waits for the operator for the rest, as a real machine would).
    /// </summary>
    public static MachineSetup Assumed(long machineId, DesignRow design, EmbroideryOptions o)
    {
        var threaded = design.ThreadList.Distinct(StringComparer.OrdinalIgnoreCase).Take(o.AssumedNeedles).Cast<string?>().ToList();
        threaded.AddRange(Enumerable.Repeat<string?>(null, o.AssumedNeedles - threaded.Count));
        return new MachineSetup(machineId, false, o.StitchesPerMinute, o.TrimSeconds, o.ColourChangeSeconds, o.RethreadSeconds, threaded, null);
    }
}
