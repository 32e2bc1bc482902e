namespace Millwright.Hosting;

/// <summary>
/// The one rule for what a hosted service's loop survives: every failure but the cancellation of its own shutdown is
/// logged and retried at the loop's next tick. A hosted service whose loop throws ends the whole host, and a store
/// outage surfaces as many types (Npgsql's <c>DbException</c>, an <c>InvalidOperationException</c> from a broken
/// connection, a socket or timeout error, a cancelled command): lists of types per loop missed some, and a 6-second
/// PostgreSQL restart ended every node of a cluster (issue 22). Use it as an exception filter:
/// <c>catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))</c>.
/// </summary>
internal static class LoopFaults
{
    /// <summary>True for every failure a loop logs and retries: anything but cancellation once <paramref name="stopping"/> is cancelled.</summary>
    public static bool Survives(Exception failure, CancellationToken stopping) =>
        !(failure is OperationCanceledException && stopping.IsCancellationRequested);

    /// <summary>
    /// Runs <paramref name="body"/> (a service's set-up and loop) until it returns or the host stops; a failure it
    /// survives is logged through <paramref name="failed"/> and the body runs again after <paramref name="retry"/>.
    /// For services that set up once (a channel, a consumer) and then wait: a set-up that fails is tried again, not fatal.
    /// </summary>
    public static async Task RunUntilStoppedAsync(Func<CancellationToken, Task> body, TimeSpan retry, TimeProvider clock, Action<Exception> failed, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await body(stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Survives(e, stopping))
            {
                failed(e);
            }

            try
            {
                await Task.Delay(retry, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
