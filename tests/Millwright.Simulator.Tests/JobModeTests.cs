using System.Text;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Tests;

/// <summary>Machines in job mode on a stepped clock: what they answer, how they count, how breakdowns and cancels interact.</summary>
public sealed class JobModeTests
{
    // Long enough that no breakdown comes during a test that is not about breakdowns.
    private static readonly TimeSpan NoBreakdowns = TimeSpan.FromDays(36_500);

    public static TheoryData<MachineKind> JobKinds => [MachineKind.Cnc, MachineKind.InjectionMoulding, MachineKind.Embroidery, MachineKind.SandPrinter];

    [Theory]
    [MemberData(nameof(JobKinds))]
    public void A_job_is_accepted_set_up_run_unit_by_unit_and_completed_with_its_good_and_scrap_counts(MachineKind kind)
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(kind, "m", 11, clock);
        Assert.True(machine.TakeJobs(NoBreakdowns));
        var (parts, scrap) = Counters(kind);
        var start = machine.Snapshot();

        // Waiting for work: idle, nothing counted.
        Step(machine, clock, TimeSpan.FromMinutes(30));
        Assert.Equal(MachineState.Idle, machine.State);
        Assert.Equal(start[parts], machine.Snapshot()[parts]);

        machine.Handle(Job(42, quantity: 20, setupSeconds: 120, unitSeconds: 30, commandId: "j42-1"));
        Assert.Equal(new JobAnswer("j42-1", 42, JobStatus.Accepted), TakeAnswer(machine));
        Assert.Equal(MachineState.Setup, machine.State);
        Step(machine, clock, TimeSpan.FromSeconds(119));
        Assert.Equal(MachineState.Setup, machine.State);
        Assert.Equal(start[parts], machine.Snapshot()[parts]);
        Step(machine, clock, TimeSpan.FromSeconds(2));
        Assert.Equal(MachineState.Running, machine.State);

        var running = TimeSpan.Zero;
        while (machine.State == MachineState.Running)
        {
            Step(machine, clock, TimeSpan.FromSeconds(1));
            running += TimeSpan.FromSeconds(1);
            Assert.True(running < TimeSpan.FromHours(1), "the job never completed");
        }

        var completed = TakeAnswer(machine);
        var end = machine.Snapshot();
        var made = (long)end[parts] - (long)start[parts];
        var scrapped = (long)end[scrap] - (long)start[scrap];
        Assert.Equal(new JobAnswer(null, 42, JobStatus.Completed, Good: 20, Scrap: scrapped), completed);
        Assert.Equal(20 + scrapped, made);
        Assert.Equal(MachineState.Idle, machine.State);
        Assert.Null(machine.Job);

        // One unit per unit time: the run took the units' time (moulding shots vary by a few per cent).
        Assert.InRange(running.TotalSeconds, (made * 30 * 0.9) - 1, (made * 30 * 1.1) + 1);
        Step(machine, clock, TimeSpan.FromHours(1));
        Assert.Equal(end[parts], machine.Snapshot()[parts]);
        Assert.Equal(MachineState.Idle, machine.State);
    }

    [Fact]
    public void Units_shorter_than_a_tick_are_all_counted_and_a_job_without_setup_starts_at_once()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 3, clock);
        machine.TakeJobs(NoBreakdowns);

        machine.Handle(Job(7, quantity: 50, setupSeconds: 0, unitSeconds: 0.2));
        Assert.Equal(MachineState.Running, machine.State);
        Step(machine, clock, TimeSpan.FromSeconds(30));

        var done = TakeAnswer(machine, skip: 1);
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(50, done.Good);
        Assert.Equal(50 + done.Scrap, (long)machine.Snapshot()["part_count"]);
    }

    [Fact]
    public void A_job_for_a_busy_machine_is_rejected_with_the_job_it_is_busy_with_and_the_same_job_again_is_accepted_again()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.InjectionMoulding, "m", 5, clock);
        machine.TakeJobs(NoBreakdowns);
        machine.Handle(Job(41, quantity: 100, setupSeconds: 60, unitSeconds: 20, commandId: "a"));
        Step(machine, clock, TimeSpan.FromMinutes(5));

        machine.Handle(Job(42, quantity: 5, setupSeconds: 60, unitSeconds: 20, commandId: "b"));
        machine.Handle(Job(41, quantity: 100, setupSeconds: 60, unitSeconds: 20, commandId: "c"));

        Assert.Equal(new JobAnswer("a", 41, JobStatus.Accepted), TakeAnswer(machine));
        Assert.Equal(new JobAnswer("b", 42, JobStatus.Rejected, "busy with job 41"), TakeAnswer(machine));
        Assert.Equal(new JobAnswer("c", 41, JobStatus.Accepted), TakeAnswer(machine));
        Assert.Equal(41, machine.Job!.JobId);
        Assert.Equal(MachineState.Running, machine.State);
    }

    [Fact]
    public void A_breakdown_holds_the_job_which_resumes_after_the_repair_and_a_job_sent_while_down_is_rejected()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 9, clock);
        machine.TakeJobs(TimeSpan.FromMinutes(2));
        machine.Handle(Job(1, quantity: 200, setupSeconds: 10, unitSeconds: 5));
        TakeAnswer(machine);

        var heldWhileDown = false;
        var countedWhileDown = false;
        JobAnswer? completed = null;
        for (var second = 0; second < 6 * 3600 && completed is null; second++)
        {
            var before = machine.Snapshot()["part_count"];
            var wasDown = machine.State == MachineState.Down;
            Step(machine, clock, TimeSpan.FromSeconds(1));
            if (wasDown && machine.State == MachineState.Down)
            {
                heldWhileDown |= machine.Job?.JobId == 1;
                countedWhileDown |= !Equals(before, machine.Snapshot()["part_count"]);
                Assert.NotEqual(0, machine.AlarmCode);
            }

            completed = machine.PendingAnswers > 0 ? TakeAnswer(machine) : null;
        }

        Assert.True(machine.Breakdowns >= 3, $"only {machine.Breakdowns} breakdowns at a 2-minute MTBF");
        Assert.True(heldWhileDown);
        Assert.False(countedWhileDown);
        Assert.Equal(JobStatus.Completed, completed?.Status);
        Assert.Equal(200, completed!.Good);
    }

    [Fact]
    public void A_cancel_drops_the_job_even_while_down_and_the_repaired_machine_then_waits()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Embroidery, "m", 2, clock);
        machine.TakeJobs(TimeSpan.FromMinutes(1));
        machine.Handle(Job(5, quantity: 10_000, setupSeconds: 0, unitSeconds: 10));
        TakeAnswer(machine);
        for (var second = 0; second < 3600 && machine.State != MachineState.Down; second++)
        {
            Step(machine, clock, TimeSpan.FromSeconds(1));
        }

        Assert.Equal(MachineState.Down, machine.State);
        machine.Handle(new JobCommand(JobCommandKind.Cancel, "c5", 5));
        machine.Handle(Job(6, quantity: 1, setupSeconds: 0, unitSeconds: 10, commandId: "j6"));

        Assert.Equal(new JobAnswer("c5", 5, JobStatus.Cancelled), TakeAnswer(machine));
        Assert.Equal(new JobAnswer("j6", 6, JobStatus.Rejected, $"machine down (alarm {machine.AlarmCode})"), TakeAnswer(machine));
        Assert.Null(machine.Job);
        Step(machine, clock, TimeSpan.FromHours(1));
        Assert.Equal(MachineState.Idle, machine.State);
        Assert.Equal(0, machine.AlarmCode);
    }

    [Fact]
    public void A_cancel_while_running_stops_the_counter_and_a_cancel_for_another_job_says_it_was_not_held()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.SandPrinter, "m", 4, clock);
        machine.TakeJobs(NoBreakdowns);
        machine.Handle(Job(8, quantity: 100, setupSeconds: 0, unitSeconds: 60));
        Step(machine, clock, TimeSpan.FromMinutes(10));
        Assert.True((long)machine.Snapshot()["build_count"] >= 9);

        machine.Handle(new JobCommand(JobCommandKind.Cancel, "x", 9));
        machine.Handle(new JobCommand(JobCommandKind.Cancel, "y", 8));
        var builds = machine.Snapshot()["build_count"];
        Step(machine, clock, TimeSpan.FromMinutes(10));

        Assert.Equal(JobStatus.Accepted, TakeAnswer(machine).Status);
        Assert.Equal(new JobAnswer("x", 9, JobStatus.Cancelled, "not holding job 9"), TakeAnswer(machine));
        Assert.Equal(new JobAnswer("y", 8, JobStatus.Cancelled), TakeAnswer(machine));
        Assert.Equal(0, machine.PendingAnswers);
        Assert.Equal(builds, machine.Snapshot()["build_count"]);
        Assert.Equal(MachineState.Idle, machine.State);
    }

    [Fact]
    public void An_invalid_job_with_a_job_id_is_rejected_with_the_field_at_fault()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 1, clock);
        machine.TakeJobs();

        machine.Handle(JobCommandParser.Parse("""{"type":"job","commandId":"q","jobId":3,"quantity":0,"unitSeconds":5}"""u8));

        var answer = TakeAnswer(machine);
        Assert.Equal(JobStatus.Rejected, answer.Status);
        Assert.StartsWith("quantity:", answer.Reason, StringComparison.Ordinal);
        Assert.Equal(MachineState.Idle, machine.State);
    }

    [Fact]
    public void An_excavator_does_not_take_jobs_and_keeps_its_own_cycle()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Construction, "exc", 1, clock);

        Assert.False(machine.TakeJobs(TimeSpan.FromMinutes(1)));
        machine.Handle(Job(1, quantity: 1, setupSeconds: 0, unitSeconds: 1));

        Assert.False(machine.TakesJobs);
        Assert.Equal(0, machine.PendingAnswers);
        var states = new HashSet<MachineState>();
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            Step(machine, clock, TimeSpan.FromMinutes(1));
            states.Add(machine.State);
        }

        Assert.Contains(MachineState.Running, states);
        Assert.Contains(MachineState.Idle, states);
    }

    [Fact]
    public void A_CNC_runs_a_dispatched_program_at_the_same_spindle_speed_at_every_set_up()
    {
        // The anomaly detector learns a baseline per program (docs/anomaly-detection.md): a program's speed is its own.
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 5, clock);
        Assert.True(machine.TakeJobs(NoBreakdowns));

        double Run(long jobId, string program)
        {
            machine.Handle(JobCommandParser.Parse(Encoding.UTF8.GetBytes(
                $$"""{"type":"job","jobId":{{jobId}},"program":"{{program}}","quantity":5,"setupSeconds":60,"unitSeconds":20}""")));
            var speeds = new List<double>();
            for (var i = 0; i < 3_600 && (speeds.Count == 0 || machine.State != MachineState.Idle); i++)
            {
                Step(machine, clock, TimeSpan.FromSeconds(1));
                if (machine.State == MachineState.Running)
                {
                    speeds.Add(Convert.ToDouble(machine.Snapshot()["spindle_speed"], System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            Assert.Equal(MachineState.Idle, machine.State);
            Assert.Equal(program, machine.Snapshot()["program"]);
            return speeds.Average();
        }

        var first = Run(1, "P-100");
        Run(2, "P-200");
        var again = Run(3, "P-100");
        Assert.InRange(first, 4_000 - 500, 18_000 + 500);
        Assert.InRange(again, first - 300, first + 300);
    }

    internal static JobCommand Job(long jobId, int quantity, double setupSeconds, double unitSeconds, string? commandId = null) =>
        JobCommandParser.Parse(Encoding.UTF8.GetBytes(
            $$"""{"type":"job","commandId":{{(commandId is null ? "null" : $"\"{commandId}\"")}},"jobId":{{jobId}},"quantity":{{quantity}},"setupSeconds":{{setupSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"unitSeconds":{{unitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"""));

    private static (string Parts, string Scrap) Counters(MachineKind kind) => kind switch
    {
        MachineKind.Cnc => ("part_count", "scrap_count"),
        MachineKind.InjectionMoulding => ("shot_count", "scrap_count"),
        MachineKind.Embroidery => ("design_count", "scrap_count"),
        _ => ("build_count", "scrap_count"),
    };

    private static JobAnswer TakeAnswer(SimulatedMachine machine, int skip = 0)
    {
        for (var i = 0; i < skip; i++)
        {
            machine.TakeAnswer();
        }

        Assert.True(machine.TryPeekAnswer(out _), "no answer");
        return machine.TakeAnswer();
    }

    /// <summary>Advances in steps of at most a second, ticking each time, as the runner does on its interval.</summary>
    private static void Step(SimulatedMachine machine, ManualClock clock, TimeSpan by)
    {
        for (var left = by; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(1))
        {
            clock.Advance(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            machine.Tick();
        }
    }
}
