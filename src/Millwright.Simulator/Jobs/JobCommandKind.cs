namespace Millwright.Simulator.Jobs;

/// <summary>What a payload on <c>mw/{tenant}/{machine}/cmd</c> turned out to be (docs/production.md, "Commands to machines").</summary>
internal enum JobCommandKind
{
    /// <summary>Not a command this machine understands and nothing to answer (no jobId, not JSON, an unknown type).</summary>
    Ignored,

    /// <summary>A job with every field valid.</summary>
    Job,

    /// <summary>A job command with a jobId but some field wrong: answered <c>rejected</c> with <see cref="JobCommand.Error"/>.</summary>
    InvalidJob,

    Cancel,
}
