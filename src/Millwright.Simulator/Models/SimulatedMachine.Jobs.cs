using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// Job mode (docs/production.md, "Commands to machines"): the machine is idle until the platform sends a job,
/// then sets up for the job's setup time and runs one unit per the job's unit time until the good units
/// reach the quantity. Breakdowns still come while running; a held job waits out the repair. Answers queue
/// here until the driver has published them, so one made while the link is down is sent after reconnecting.
/// </summary>
internal abstract partial class SimulatedMachine
{
    // "Until something happens": job mode leaves idle and running only on a command or a finished job.
    private static readonly TimeSpan Forever = TimeSpan.FromDays(3650);

    private readonly Queue<JobAnswer> _answers = new();
    private TimeSpan _meanTimeBetweenFailures;
    private double _repairScale = 1;
    private bool _takesJobs;

    /// <summary>True once <see cref="TakeJobs"/> switched the machine to waiting for the platform's jobs.</summary>
    public bool TakesJobs => _takesJobs;

    /// <summary>The job being set up or run, or held while down; null when waiting for work.</summary>
    public HeldJob? Job { get; private set; }

    /// <summary>Answers made and not yet taken by <see cref="TakeAnswer"/>.</summary>
    public int PendingAnswers => _answers.Count;

    /// <summary>Kinds that sew a job's design (embroidery) need its stitch file before they take the job.</summary>
    public virtual bool SewsDesigns => false;

    /// <summary>Kinds that cut a made-to-measure job's marker (the cutter) need its DXF and marker before they take the job.</summary>
    public virtual bool CutsMarkers => false;

    /// <summary>Kinds that make no countable units (an excavator) never take jobs.</summary>
    protected virtual bool CanTakeJobs => true;

    /// <summary>
    /// Switches to job mode: idle, no alarm, waiting for a job. A mean time between failures speeds breakdowns
    /// up for a demo; repairs shrink by the same factor, so the machine is as available as its kind normally is.
    /// False (and nothing changes) for a kind that does not take jobs.
    /// </summary>
    public bool TakeJobs(TimeSpan? meanTimeBetweenFailures = null)
    {
        if (!CanTakeJobs)
        {
            return false;
        }

        if (meanTimeBetweenFailures is { } mtbf && mtbf > TimeSpan.Zero)
        {
            _repairScale = mtbf / Profile.MeanTimeBetweenFailures;
            _meanTimeBetweenFailures = mtbf;
        }

        _takesJobs = true;
        AlarmCode = 0;
        Enter(MachineState.Idle, Forever);
        return true;
    }

    /// <summary>Acts on a command from the platform at the clock's now (call <see cref="Tick"/> first).</summary>
    public void Handle(JobCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_takesJobs)
        {
            return;
        }

        switch (command.Kind)
        {
            case JobCommandKind.InvalidJob:
                Answer(command, JobStatus.Rejected, command.Error);
                break;

            // The same job again is a redelivery or a resend after a lost answer: it is still accepted.
            case JobCommandKind.Job when Job?.JobId == command.JobId:
                Answer(command, JobStatus.Accepted);
                break;
            case JobCommandKind.Job when Job is { } other:
                Answer(command, JobStatus.Rejected, $"busy with job {other.JobId}");
                break;
            case JobCommandKind.Job when State == MachineState.Down:
                Answer(command, JobStatus.Rejected, $"machine down (alarm {AlarmCode})");
                break;
            case JobCommandKind.Job:
                Job = new HeldJob(command);
                Answer(command, JobStatus.Accepted);
                Enter(MachineState.Setup, command.Setup);
                if (command.Setup <= TimeSpan.Zero)
                {
                    // No setup planned: the kind has loaded the job on entering setup; start at once.
                    NextWithJobs();
                }

                break;
            case JobCommandKind.Cancel when Job?.JobId == command.JobId:
                Job = null;
                Answer(command, JobStatus.Cancelled);
                if (State != MachineState.Down)
                {
                    Enter(MachineState.Idle, Forever);
                }

                break;
            case JobCommandKind.Cancel:
                // Not here (finished, never arrived, or cancelled before): what the platform wants is already so.
                Answer(command, JobStatus.Cancelled, $"not holding job {command.JobId}");
                break;
        }
    }

    /// <summary>The oldest answer not yet sent; leave it queued until it is published.</summary>
    public bool TryPeekAnswer(out JobAnswer answer) => _answers.TryPeek(out answer!);

    /// <summary>Drops the oldest answer once the driver has published it.</summary>
    public JobAnswer TakeAnswer() => _answers.Dequeue();

    /// <summary>A kind calls this for every unit it finishes (part, shot, design, build), scrap or not.</summary>
    protected void UnitMade(bool scrap)
    {
        if (Job is not { } job || State != MachineState.Running)
        {
            return;
        }

        job.Count(scrap);
        if (job.Done)
        {
            _answers.Enqueue(new JobAnswer(null, job.JobId, JobStatus.Completed, Good: job.Good, Scrap: job.Scrapped));
            Job = null;
            Enter(MachineState.Idle, Forever);
        }
    }

    private void NextWithJobs()
    {
        if (State == MachineState.Down)
        {
            AlarmCode = 0;
            if (RepairDone())
            {
                return;
            }
        }

        // Setup done or repaired: run the job held; without one, wait.
        Enter(Job is null ? MachineState.Idle : MachineState.Running, Forever);
    }

    private void Answer(JobCommand command, JobStatus status, string? reason = null) =>
        _answers.Enqueue(new JobAnswer(command.CommandId, command.JobId, status, reason));
}
