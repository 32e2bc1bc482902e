namespace Millwright.Simulator.Jobs;

/// <summary>A file a job's command names on the platform: its SHA-256, the path to fetch it from with the machine's credential, its size.</summary>
internal sealed record PlatformFile(string Sha256, string Path, long Bytes);
