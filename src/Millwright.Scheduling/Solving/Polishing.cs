namespace Millwright.Scheduling.Solving;

/// <summary>
/// How the driver alternates its workers with a polisher: after every <see cref="Every"/> of search the best schedule
/// is polished for up to <see cref="For"/> (never past the time limit). <see cref="Start"/>, when set, is imported by
/// every worker after the first epoch (a schedule found before the search began).
/// </summary>
internal sealed record Polishing(Func<EliteSolution, TimeSpan, CancellationToken, EliteSolution> Polish, TimeSpan Every, TimeSpan For, EliteSolution? Start);
