using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// A gate that admits every publish at once and makes its acknowledgement wait for a durability task the
/// test completes by hand, as the platform's group commit will. It can also hold admission itself, as a
/// saturated platform does, and tell the test when a publish is waiting there.
/// </summary>
internal sealed class DurableGate : MqttGate
{
    private readonly List<Admission> _admitted = [];
    private TaskCompletionSource? _holdAdmission;
    private int _inAdmission;
    private int _mostInAdmission;

    /// <summary>Set when a publish waits in a held admission.</summary>
    public TaskCompletionSource AdmissionWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every publish is acknowledged at once (no durability wait) instead.</summary>
    public bool Immediate { get; init; }

    /// <summary>
    /// When set, each admission's durability completes on another thread as soon as the verdict is made, so
    /// that it races the broker queueing the acknowledgement (a group commit finishing at that moment).
    /// </summary>
    public bool CommitRacing { get; init; }

    /// <summary>The most publishes that were ever in admission at once.</summary>
    public int MostInAdmission => Volatile.Read(ref _mostInAdmission);

    public IReadOnlyList<Admission> Admitted
    {
        get
        {
            lock (_admitted)
            {
                return [.. _admitted];
            }
        }
    }

    /// <summary>The next admissions wait until the returned source is completed.</summary>
    public TaskCompletionSource HoldAdmission()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _holdAdmission, hold);
        return hold;
    }

    public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ConnectVerdict.Accept());

    public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

    public override async ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
    {
        var inAdmission = Interlocked.Increment(ref _inAdmission);
        InterlockedMax(ref _mostInAdmission, inAdmission);
        try
        {
            if (Volatile.Read(ref _holdAdmission) is { } hold)
            {
                AdmissionWaiting.TrySetResult();
                await hold.Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inAdmission);
        }

        var admission = new Admission(publish.Topic, publish.PacketId);
        lock (_admitted)
        {
            _admitted.Add(admission);
        }

        if (CommitRacing)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static a => a.Commit(), admission, preferLocal: false);
        }

        return Immediate ? PublishVerdict.Accept : PublishVerdict.AcceptWhenDurable(admission.Durable.Task);
    }

    /// <summary>Lets go of the admissions, so that only the broker can still reach their tasks.</summary>
    public void Forget()
    {
        lock (_admitted)
        {
            _admitted.Clear();
        }
    }

    /// <summary>Waits until this many publishes have been admitted, and returns them in order.</summary>
    public async Task<IReadOnlyList<Admission>> WaitForAdmittedAsync(int count)
    {
        await TestBroker.EventuallyAsync(() => Admitted.Count >= count, $"{count} publishes are admitted");
        return Admitted;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }

    /// <summary>One admitted publish; completing <see cref="Durable"/> is its group commit.</summary>
    internal sealed record Admission(string Topic, ushort PacketId)
    {
        public TaskCompletionSource<PublishVerdict> Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Commit() => Durable.SetResult(PublishVerdict.Accept);
    }
}
