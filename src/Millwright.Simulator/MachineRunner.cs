using System.Collections.Concurrent;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Simulator;

/// <summary>
/// Runs one machine: ticks its model every interval and hands the values to its driver; on a lost or
/// refused connection waits an exponential back-off with jitter (1 s doubling to 30 s) and connects again,
/// so a restarted broker is not hit by every machine in the same instant. A machine in job mode takes the
/// commands that arrived since the last tick and publishes its answers after each tick.
/// </summary>
internal sealed class MachineRunner(SimulatedMachine machine, IMachineDriver driver, SimulatorStats stats, TimeProvider time, TimeSpan interval, int seed,
    DesignFetcher? designs = null, PatternFetcher? patterns = null)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Random _jitter = new(seed);

    // Maintenance asked for from outside (a maintenance crew): the model belongs to this runner's loop, which carries it out after a tick.
    private readonly ConcurrentQueue<(Func<SimulatedMachine, bool> Work, TaskCompletionSource<bool> Done)> _maintenance = new();

    public SimulatedMachine Machine => machine;

    public IMachineDriver Driver => driver;

    /// <summary>The power meter on this machine's supply, if the factory has one there; it reads the values of each tick.</summary>
    public PowerMeter? Meter { get; set; }

    /// <summary>
    /// Has the machine carry out planned maintenance for <paramref name="duration"/> at its next tick (docs/wear-model.md):
    /// true once it did, false when it refused (down, or in maintenance already). Waits while the machine is not connected.
    /// </summary>
    public Task<bool> MaintainAsync(TimeSpan duration) => AskAsync(m => m.Maintain(duration));

    /// <summary>
    /// Has the machine's part renewed while it is stopped anyway, at its next tick (<see cref="SimulatedMachine.RenewDuringStop"/>):
    /// during its repair when it is down, as maintenance for <paramref name="duration"/> when idle or in set-up. False
    /// when it refused: running again by then, a wear failure's repair fits a new part anyway, or in maintenance already.
    /// </summary>
    public Task<bool> RenewDuringStopAsync(TimeSpan duration) => AskAsync(m => m.RenewDuringStop(duration));

    private Task<bool> AskAsync(Func<SimulatedMachine, bool> work)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _maintenance.Enqueue((work, done));
        return done.Task;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Spread the first connects and ticks over one interval rather than all at once. A factory stopped before
        // this machine's first connect ends it quietly, like one stopped later.
        try
        {
            await Task.Delay(interval * _jitter.NextDouble(), time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

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
                    var jobs = machine.TakesJobs ? driver as IJobChannel : null;
                    do
                    {
                        machine.Tick();
                        while (_maintenance.TryDequeue(out var asked))
                        {
                            asked.Done.TrySetResult(asked.Work(machine));
                        }

                        if (jobs is not null)
                        {
                            await TakeCommandsAsync(jobs, cancellationToken);
                        }

                        var values = machine.Snapshot();
                        var now = time.GetUtcNow();
                        Meter?.Measure(values, now);
                        stats.Sent(await driver.SendAsync(values, now, cancellationToken));
                        if (jobs is not null)
                        {
                            await SendAnswersAsync(jobs, cancellationToken);
                        }
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
            while (_maintenance.TryDequeue(out var asked))
            {
                asked.Done.TrySetResult(false); // stopped before it could
            }

            await driver.DisposeAsync();
            designs?.Dispose();
            patterns?.Dispose();
        }
    }

    private async Task TakeCommandsAsync(IJobChannel jobs, CancellationToken cancellationToken)
    {
        while (jobs.TryTakeCommand(out var payload))
        {
            var command = JobCommandParser.Parse(payload);
            if (command.Kind == JobCommandKind.Ignored)
            {
                stats.CommandIgnored($"{machine.Name}: command ignored: {command.Error}");
            }

            machine.Handle(await WithMarkerAsync(await WithDesignAsync(command, cancellationToken), cancellationToken));
        }
    }

    /// <summary>A new embroidery job with its stitches, or made invalid with the reason they could not be had.</summary>
    private async Task<JobCommand> WithDesignAsync(JobCommand command, CancellationToken cancellationToken)
    {
        if (command is not { Kind: JobCommandKind.Job, Design: { } design } || !machine.SewsDesigns || machine.Job?.JobId == command.JobId)
        {
            return command;
        }

        if (designs is null)
        {
            return command with { Kind = JobCommandKind.InvalidJob, Error = "this machine was given no platform address to fetch designs from" };
        }

        try
        {
            return command with { Stitches = await designs.FetchAsync(design, cancellationToken), Needles = await designs.FetchNeedlesAsync(design, cancellationToken) };
        }
        catch (DesignFetchException e)
        {
            return command with { Kind = JobCommandKind.InvalidJob, Error = e.Message };
        }
    }

    /// <summary>A new cut job with its marker (read and checked against the DXF), or made invalid with the reason they could not be had.</summary>
    private async Task<JobCommand> WithMarkerAsync(JobCommand command, CancellationToken cancellationToken)
    {
        if (command is not { Kind: JobCommandKind.Job, Garment: { } garment } || !machine.CutsMarkers || machine.Job?.JobId == command.JobId)
        {
            return command;
        }

        if (patterns is null)
        {
            return command with { Kind = JobCommandKind.InvalidJob, Error = "this machine was given no platform address to fetch patterns from" };
        }

        try
        {
            return command with { Cut = await patterns.FetchAsync(garment, cancellationToken) };
        }
        catch (PatternFetchException e)
        {
            return command with { Kind = JobCommandKind.InvalidJob, Error = e.Message };
        }
    }

    /// <summary>Oldest first; an answer leaves the machine's queue only once published, so a lost link loses none.</summary>
    private async Task SendAnswersAsync(IJobChannel jobs, CancellationToken cancellationToken)
    {
        while (machine.TryPeekAnswer(out var answer))
        {
            await jobs.AnswerAsync(answer.ToJson(), cancellationToken);
            machine.TakeAnswer();
            stats.Answered(answer.Status);
        }
    }
}
