namespace Millwright.Simulator.Jobs;

/// <summary>
/// How the factory takes jobs (<c>simulate --take-jobs</c>): MQTT JSON machines of kinds that make units wait
/// for the platform's jobs; <see cref="MeanTimeBetweenFailures"/>, when set, replaces their kinds' (hours) so
/// that a demo shows breakdowns within minutes.
/// </summary>
internal sealed record JobMode(TimeSpan? MeanTimeBetweenFailures = null);
