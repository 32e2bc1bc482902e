using System.Data.Common;

namespace Millwright.Storage;

/// <summary>
/// A condition a writer's transaction must meet before anything in it may commit: the caller's right to write
/// (in cluster mode, the lease of the store's appender with its fencing token). It runs inside the transaction,
/// first, and may lock rows there, so that a change of that right waits for the commit or makes it fail; it
/// throws <see cref="WriteFencedException"/> when the right is gone.
/// </summary>
public interface IWriteFence
{
    Task EnsureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
