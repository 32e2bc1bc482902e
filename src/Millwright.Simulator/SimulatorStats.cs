using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Simulator;

/// <summary>Counters every machine runner updates and the status line reads; plain interlocked longs.</summary>
internal sealed class SimulatorStats
{
    private readonly long[] _connected = new long[Enum.GetValues<Protocol>().Length];
    private readonly long[] _machines = new long[Enum.GetValues<Protocol>().Length];
    private readonly long[] _states = new long[Enum.GetValues<MachineState>().Length];
    private readonly long[] _answers = new long[Enum.GetValues<JobStatus>().Length];
    private long _messages;
    private long _ignored;
    private long _failures;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Connection attempts and sends that failed, each followed by a back-off and a reconnect.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last connection error, for the status line; null while all is well.</summary>
    public string? LastError { get; private set; }

    /// <summary>Command payloads that were no command (not JSON, no jobId, another type): nothing was answered.</summary>
    public long CommandsIgnored => Interlocked.Read(ref _ignored);

    /// <summary>The last ignored command and why, for whoever is debugging a dispatcher.</summary>
    public string? LastIgnored { get; private set; }

    /// <summary>Answers published on cmd/ack with this status.</summary>
    public long Answers(JobStatus status) => Interlocked.Read(ref _answers[(int)status]);

    public long Connected(Protocol protocol) => Interlocked.Read(ref _connected[(int)protocol]);

    public long Machines(Protocol protocol) => Interlocked.Read(ref _machines[(int)protocol]);

    public long InState(MachineState state) => Interlocked.Read(ref _states[(int)state]);

    internal void AddMachine(Protocol protocol, MachineState state)
    {
        Interlocked.Increment(ref _machines[(int)protocol]);
        Interlocked.Increment(ref _states[(int)state]);
    }

    internal void StateChanged(MachineState from, MachineState to)
    {
        Interlocked.Decrement(ref _states[(int)from]);
        Interlocked.Increment(ref _states[(int)to]);
    }

    internal void Up(Protocol protocol) => Interlocked.Increment(ref _connected[(int)protocol]);

    internal void Down(Protocol protocol) => Interlocked.Decrement(ref _connected[(int)protocol]);

    internal void Sent(int messages) => Interlocked.Add(ref _messages, messages);

    internal void Answered(JobStatus status) => Interlocked.Increment(ref _answers[(int)status]);

    internal void CommandIgnored(string why)
    {
        Interlocked.Increment(ref _ignored);
        LastIgnored = why;
    }

    internal void Failed(string error)
    {
        Interlocked.Increment(ref _failures);
        LastError = error;
    }
}
