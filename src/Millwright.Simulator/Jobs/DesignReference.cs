namespace Millwright.Simulator.Jobs;

/// <summary>
/// The design a job's command names (<c>customization.embroidery</c>, docs/embroidery.md): the stitch file's
/// SHA-256, the platform path to fetch it from with the machine's credential, and its size in bytes.
/// </summary>
internal sealed record DesignReference(string Sha256, string Path, long Bytes);
