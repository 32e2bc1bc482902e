using System.Data.Common;

namespace Millwright.Storage.TimeSeries;

public sealed partial class TimeSeriesStore
{
    // In every write transaction before it can commit (first, except in a checkpoint slice, where it follows the
    // encoding). A refusal rolls the transaction back (the caller disposes it) and ends this store's writing:
    // memory is unchanged, but another appender may be changing the database now.
    private async Task FenceAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_fence is null)
        {
            return;
        }

        try
        {
            await _fence.EnsureAsync(_connection, transaction, cancellationToken);
        }
        catch (WriteFencedException)
        {
            _fencedOut = true;
            throw;
        }
    }
}
