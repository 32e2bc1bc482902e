using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;

namespace Millwright.Simulator;

/// <summary>
/// Runs one machine: ticks its model every interval and hands the values to its driver; on a lost or
/// refused connection waits an exponential back-off with jitter (1 s doubling to 30 s) and connects again,
/// so a restarted broker is not hit by every machine in the same instant.
/// </summary>
internal sealed class MachineRunner(SimulatedMachine machine, IMachineDriver driver, SimulatorStats stats, TimeProvider time, TimeSpan interval, int seed)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Random _jitter = new(seed);

    public SimulatedMachine Machine => machine;

    public IMachineDriver Driver => driver;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Spread the first connects and ticks over one interval rather than all at once.
        await Task.Delay(interval * _jitter.NextDouble(), time, cancellationToken);
        var backoff = FirstBackoff;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var up = false;
                try
                {
                    await driver.ConnectAsync(cancellationToken);
                    up = true;
                    stats.Up(driver.Protocol);
                    backoff = FirstBackoff;
                    using var timer = new PeriodicTimer(interval, time);
                    do
                    {
                        machine.Tick();
                        stats.Sent(await driver.SendAsync(machine.Snapshot(), time.GetUtcNow(), cancellationToken));
                    }
                    while (await timer.WaitForNextTickAsync(cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    stats.Failed($"{machine.Name}: {e.Message}");
                }
                finally
                {
                    if (up)
                    {
                        stats.Down(driver.Protocol);
                    }
                }

                await driver.CloseAsync();
                await Task.Delay(backoff * (0.5 + _jitter.NextDouble()), time, cancellationToken);
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            await driver.DisposeAsync();
        }
    }
}
