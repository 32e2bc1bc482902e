namespace Millwright.Storage;

/// <summary>
/// The database carries migrations this build does not know: a newer Millwright wrote it. Running on it could
/// misread tables that build changed, so the store refuses to open (a cluster node of an older version does
/// not join). An InvalidOperationException, so hosts that report a store they cannot open report this too.
/// </summary>
public sealed class SchemaTooNewException(IReadOnlyList<string> unknown)
    : InvalidOperationException($"the database's schema is newer than this Millwright: it has migration{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}, which this version does not know. Run the version that wrote {(unknown.Count == 1 ? "it" : "them")} (every node of a cluster on the same version), or use another database")
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}
