namespace Millwright.Embroidery.Digitizing;

/// <summary>What a run of stitches is for; the planner and the checks treat them differently.</summary>
public enum BlockKind
{
    Running,
    TripleRun,
    Satin,
    Fill,
    Underlay,
}
