using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Models;

/// <summary>
/// A simulated machine: a state cycle (running, idle, setup, down) shared by every kind, and the tag values
/// a kind derives from it. Time comes only from the injected <see cref="TimeProvider"/> and chance only from
/// a Random seeded per machine, so a seed and a clock replay the same factory. Not thread-safe: one loop
/// ticks a machine. In job mode (<see cref="TakeJobs"/>, SimulatedMachine.Jobs.cs) the machine waits for work
/// instead of cycling on its own.
/// </summary>
internal abstract partial class SimulatedMachine
{
    // Physics is integrated in slices of at most this, so a long gap between ticks (a paused process, a
    // test advancing hours) still goes through the states one by one instead of jumping.
    private static readonly TimeSpan MaxSlice = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private DateTimeOffset _lastTick;
    private TimeSpan _stateLeft;

    protected SimulatedMachine(string name, int seed, TimeProvider time, CycleProfile profile)
    {
        ArgumentNullException.ThrowIfNull(time);
        Name = name;
        Random = new Random(seed);
        Profile = profile;
        _time = time;
        _lastTick = time.GetUtcNow();
        _meanTimeBetweenFailures = profile.MeanTimeBetweenFailures;
        Wear = profile.Wear is { } wear ? new WearState(wear, seed) : null;

        // A floor seen at an arbitrary moment: most machines mid-run, some waiting, some in changeover, a few
        // broken down and under repair, each some way into its spell, so that starting the simulator does not
        // start every machine at once (and a fresh demo has something to alarm about).
        var pick = Random.NextDouble();
        State = pick < 0.62 ? MachineState.Running : pick < 0.82 ? MachineState.Idle : pick < 0.96 ? MachineState.Setup : MachineState.Down;
        if (State == MachineState.Down)
        {
            AlarmCode = profile.AlarmCodes[Random.Next(profile.AlarmCodes.Count)];
        }

        _stateLeft = Draw(State switch
        {
            MachineState.Running => profile.Run,
            MachineState.Setup => profile.Setup,
            MachineState.Down => profile.Repair,
            _ => profile.Idle,
        }) * Random.NextDouble();
    }

    public string Name { get; }

    public abstract MachineTypeDefinition Definition { get; }

    public MachineState State { get; private set; }

    /// <summary>The alarm or fault code while down; 0 otherwise.</summary>
    public int AlarmCode { get; private set; }

    /// <summary>The wearing part (null for a kind without one): only the simulator knows it, the platform sees its indicator tags.</summary>
    public WearState? Wear { get; }

    /// <summary>Breakdowns so far (random and from wear), for tests and the status line.</summary>
    public int Breakdowns { get; private set; }

    /// <summary>
    /// The mean time between failures while running, from now on: a maintenance policy changes it (demo --history
    /// introduces preventive maintenance partway through the factory's past).
    /// </summary>
    public TimeSpan MeanTimeBetweenFailures
    {
        get => _meanTimeBetweenFailures;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _meanTimeBetweenFailures = value;
        }
    }

    /// <summary>Called after each state change, with the state left and the state entered.</summary>
    public event Action<SimulatedMachine, MachineState, MachineState>? StateChanged;

    protected Random Random { get; }

    protected CycleProfile Profile { get; }

    /// <summary>Brings the machine up to the clock's now.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var elapsed = now - _lastTick;
        _lastTick = now;
        while (elapsed > TimeSpan.Zero)
        {
            var slice = elapsed < MaxSlice ? elapsed : MaxSlice;
            elapsed -= slice;
            Step(slice);
        }
    }

    /// <summary>The current value of every tag of <see cref="Definition"/>: double, long, bool or string.</summary>
    public IReadOnlyDictionary<string, object> Snapshot()
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        Report(values);
        return values;
    }

    /// <summary>Advances the kind's physics by one slice in the current state.</summary>
    protected abstract void Advance(TimeSpan slice);

    protected abstract void Report(IDictionary<string, object> values);

    /// <summary>Lets a kind end a spell early, e.g. a printer whose build is complete or an excavator out of fuel.</summary>
    protected void EndStateNow() => _stateLeft = TimeSpan.Zero;

    /// <summary>Whether a running spell that ends may go straight on running (a printer with a full job box may not).</summary>
    protected virtual bool MayRunOn => true;

    /// <summary>Hook for a kind to start a new job, program or mould when a setup begins.</summary>
    protected virtual void OnEntered(MachineState state)
    {
    }

    /// <summary>Uniform between min and max: simple, bounded, and enough for a plausible floor.</summary>
    protected TimeSpan Draw((TimeSpan Min, TimeSpan Max) range) =>
        range.Min + ((range.Max - range.Min) * Random.NextDouble());

    /// <summary>A reading with Gaussian-ish noise (sum of uniforms), clamped to the tag's range.</summary>
    protected double Noisy(double centre, double spread, double min, double max) =>
        Math.Clamp(centre + (spread * (Random.NextDouble() + Random.NextDouble() - 1)), min, max);

    /// <summary>True with probability rate × slice, for events that arrive at a mean rate per second.</summary>
    protected bool Chance(double perSecond, TimeSpan slice) => Random.NextDouble() < perSecond * slice.TotalSeconds;

    private void Step(TimeSpan slice)
    {
        if (State == MachineState.Running && Chance(1 / _meanTimeBetweenFailures.TotalSeconds, slice))
        {
            // A held job stays held: the machine takes it up again once repaired (unless it is cancelled).
            Breakdowns++;
            AlarmCode = Profile.AlarmCodes[Random.Next(Profile.AlarmCodes.Count)];
            Enter(MachineState.Down, Draw(Profile.Repair) * _repairScale);
        }
        else if (State == MachineState.Running && Wear is { } wear && wear.Run(slice))
        {
            // Worn out: a long repair that fits a new part (Next renews the wear when it ends).
            Breakdowns++;
            _wornOut = true;
            AlarmCode = wear.Profile.AlarmCode;
            Enter(MachineState.Down, wear.RepairTime());
        }

        Advance(slice);
        _stateLeft -= slice;
        if (_stateLeft <= TimeSpan.Zero)
        {
            Next();
        }
    }

    private void Next()
    {
        if (_takesJobs)
        {
            NextWithJobs();
            return;
        }

        var next = State switch
        {
            MachineState.Running when MayRunOn && Random.NextDouble() < Profile.RunAgain => MachineState.Running,
            MachineState.Running => Random.NextDouble() < Profile.SetupAfterRun ? MachineState.Setup : MachineState.Idle,
            MachineState.Idle => Random.NextDouble() < 0.2 ? MachineState.Setup : MachineState.Running,
            MachineState.Setup => MachineState.Running,

            // Repaired: the alarm clears, and the machine waits for the operator to restart it.
            _ => MachineState.Idle,
        };
        if (State == MachineState.Down)
        {
            AlarmCode = 0;
            if (RepairDone())
            {
                return;
            }
        }

        Enter(next, Draw(next switch
        {
            MachineState.Running => Profile.Run,
            MachineState.Setup => Profile.Setup,
            _ => Profile.Idle,
        }));
    }

    private void Enter(MachineState state, TimeSpan duration)
    {
        var left = State;
        State = state;
        InMaintenance = false;
        _stateLeft = duration;
        OnEntered(state);
        StateChanged?.Invoke(this, left, state);
    }
}
