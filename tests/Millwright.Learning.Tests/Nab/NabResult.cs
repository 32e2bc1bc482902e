namespace Millwright.Learning.Tests.Nab;

/// <summary>A profile's best threshold over a corpus, its raw score and the normalized score (null 0, perfect 100).</summary>
internal sealed record NabResult(NabProfile Profile, double Threshold, double Raw, double Normalized, int Windows, int Detected, int FalsePositives);
