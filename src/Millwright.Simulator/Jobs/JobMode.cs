namespace Millwright.Simulator.Jobs;

/// <summary>
/// How the factory takes jobs (<c>simulate --take-jobs</c>): MQTT JSON machines of kinds that make units wait
/// for the platform's jobs; <see cref="MeanTimeBetweenFailures"/>, when set, replaces their kinds' (hours) so
/// that a demo shows breakdowns within minutes. <see cref="Platform"/> is the HTTP address embroidery machines
/// fetch their jobs' stitch files from (with their device credential), and cutters their markers; <see cref="Pace"/> how fast they sew;
/// <see cref="Tailoring"/> how fast the tailoring cell cuts and sews.
/// </summary>
internal sealed record JobMode(TimeSpan? MeanTimeBetweenFailures = null, Uri? Platform = null, EmbroideryPace? Pace = null, TailoringPace? Tailoring = null);
